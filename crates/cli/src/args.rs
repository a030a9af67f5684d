//! A small flag parser: `--name value`, `--name=value`, repeated flags, `--` before a positional.

use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Args {
    flags: BTreeMap<String, Vec<String>>,
    pub positional: Vec<String>,
}

impl Args {
    /// `known` lists the flags that take a value; anything else starting with `--` is an error,
    /// except after `--`, and a lone `-`.
    pub fn parse(argv: &[String], known: &[&str]) -> Result<Args, String> {
        let mut out = Args::default();
        let mut it = argv.iter();
        while let Some(a) = it.next() {
            if a == "--" {
                out.positional.extend(it.by_ref().cloned());
                break;
            }
            let Some(body) = a.strip_prefix("--") else {
                out.positional.push(a.clone());
                continue;
            };
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            if !known.contains(&name) {
                return Err(format!("unknown flag --{name}"));
            }
            let value = match inline {
                Some(v) => v,
                None => it.next().cloned().ok_or_else(|| format!("flag --{name} needs a value"))?,
            };
            out.flags.entry(name.to_string()).or_default().push(value);
        }
        Ok(out)
    }

    pub fn one(&self, name: &str) -> Result<Option<&str>, String> {
        match self.flags.get(name).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([v]) => Ok(Some(v)),
            Some(_) => Err(format!("flag --{name} given more than once")),
        }
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.flags.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn flags_and_positionals() {
        let a = Args::parse(&v(&["--data", "a", "--data=b", "--time", "1", "--", "-x"]), &["data", "time"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.all("data"), ["a", "b"]);
        assert_eq!(a.one("time"), Ok(Some("1")));
        assert_eq!(a.positional, ["-x"]);
        assert!(a.one("data").is_err());
        assert!(Args::parse(&v(&["--nope", "1"]), &["data"]).is_err());
        assert!(Args::parse(&v(&["--data"]), &["data"]).is_err());
    }
}
