//! `promplay lint [FILE]`: `promtool check metrics` on a file (stdin without FILE or with `-`).
//! One finding per line, `name message`, exactly as promtool prints them; exit 0 when clean,
//! 3 when there are findings (promtool's lint exit code), 1 when the text does not parse.

use std::io::Read;

pub fn main(argv: &[String]) -> (u8, String) {
    let text = match argv {
        [] => read_stdin(),
        [p] if p == "-" => read_stdin(),
        [p] => std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}")),
        _ => Err("usage: promplay lint [FILE]".to_string()),
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return (2, String::new());
        }
    };
    match formats::lint::lint(&text) {
        Ok(problems) if problems.is_empty() => (0, String::new()),
        Ok(problems) => (3, problems.iter().map(|p| format!("{p}\n")).collect()),
        Err(e) => {
            eprintln!("error while linting: {e}");
            (1, String::new())
        }
    }
}

fn read_stdin() -> Result<String, String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| format!("stdin: {e}"))?;
    Ok(s)
}
