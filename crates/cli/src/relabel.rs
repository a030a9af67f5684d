//! `promplay relabel`: target relabeling (with a per-rule trace) or metric relabeling of an
//! exposition, as JSON on stdout; the contract is shared/CLI.md, section "relabel".

use crate::api_json::string;
use crate::args::Args;
use model::{format_prom_float, Labels};
use relabel::{MetricResult, ScrapedSample, Section, Step, TargetResult};

const USAGE: &str = "usage: promplay relabel --config FILE [--job NAME] --targets FILE
       promplay relabel --metric --config FILE [--job NAME] --data FILE [--target-label NAME=VALUE]...";

pub fn main(argv: &[String]) -> (u8, String) {
    // `--metric` takes no value, which the shared flag parser does not know; pick it out first.
    let metric = argv.iter().any(|a| a == "--metric");
    let rest: Vec<String> = argv.iter().filter(|a| *a != "--metric").cloned().collect();
    let args = match Args::parse(&rest, &["config", "job", "targets", "data", "target-label"]) {
        Ok(a) => a,
        Err(e) => return usage(&e),
    };
    let result = if metric { run_metric(&args) } else { run_targets(&args) };
    match result {
        Ok(out) => (0, out),
        Err(Failure::Usage(e)) => usage(&e),
        Err(Failure::Input(e)) => {
            eprintln!("promplay relabel: {e}");
            (1, String::new())
        }
    }
}

enum Failure {
    Usage(String),
    Input(String),
}

fn usage(e: &str) -> (u8, String) {
    eprintln!("promplay relabel: {e}\n{USAGE}");
    (2, String::new())
}

fn required<'a>(args: &'a Args, name: &str) -> Result<&'a str, Failure> {
    match args.one(name) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(Failure::Usage(format!("--{name} is required"))),
        Err(e) => Err(Failure::Usage(e)),
    }
}

fn read(path: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("{path}: {e}")))
}

fn load(args: &Args, section: Section) -> Result<relabel::Loaded, Failure> {
    let path = required(args, "config")?;
    let job = args.one("job").map_err(Failure::Usage)?;
    relabel::load(&read(path)?, section, job).map_err(|e| Failure::Input(format!("{path}:{e}")))
}

fn run_targets(args: &Args) -> Result<String, Failure> {
    let loaded = load(args, Section::Target)?;
    let path = required(args, "targets")?;
    let targets = relabel::parse_targets(&read(path)?).map_err(|e| Failure::Input(format!("{path}:{e}")))?;
    let items: Vec<String> = targets
        .iter()
        .map(|input| {
            let out = relabel::relabel_target(input, &loaded.settings, &loaded.rules);
            let mut s = format!(r#"{{"input":{},"discovered":{}"#, labels_json(input), labels_json(&out.discovered));
            match &out.result {
                TargetResult::Kept { relabeled, target } => s.push_str(&format!(
                    r#","result":"kept","kept":true,"labels":{},"target":{}"#,
                    labels_json(relabeled),
                    labels_json(target)
                )),
                TargetResult::Dropped { rule } => {
                    s.push_str(&format!(r#","result":"dropped","kept":false,"labels":null,"dropped_by":{rule}"#))
                }
                TargetResult::Error { relabeled, message } => s.push_str(&format!(
                    r#","result":"error","kept":true,"labels":{},"error":{}"#,
                    labels_json(relabeled),
                    string(message)
                )),
            }
            s.push_str(&format!(r#","steps":{}}}"#, steps_json(&out.trace.steps)));
            s
        })
        .collect();
    Ok(format!("[{}]\n", items.join(",\n")))
}

fn run_metric(args: &Args) -> Result<String, Failure> {
    let loaded = load(args, Section::Metric)?;
    let path = required(args, "data")?;
    let text = read(path)?;
    let expo = formats::parse_auto(&text).map_err(|e| Failure::Input(format!("{path}:{e}")))?;
    let mut target = Vec::new();
    for tl in args.all("target-label") {
        let Some((n, v)) = tl.split_once('=') else {
            return Err(Failure::Usage(format!("--target-label wants NAME=VALUE, got {tl:?}")));
        };
        target.push(model::Label::new(n, v));
    }
    // A scrape job attaches its name; do the same unless --target-label says otherwise.
    if let Some(job) = loaded.job.as_ref().filter(|_| !target.iter().any(|l| l.name == "job")) {
        target.push(model::Label::new("job", job.clone()));
    }
    let target = Labels::new(target);
    let lines: Vec<&str> = text.lines().collect();
    let samples: Vec<ScrapedSample> = expo
        .samples
        .iter()
        .map(|s| ScrapedSample {
            labels: s.labels.clone(),
            value: s.value,
            timestamp_ms: s.timestamp_ms,
            exposed_empty: relabel::empty_label_names(lines.get(s.line.wrapping_sub(1)).copied().unwrap_or_default()),
        })
        .collect();
    let outcomes = relabel::relabel_samples(&samples, &target, loaded.settings.honor_labels, &loaded.rules);
    let (mut kept, mut dropped, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    for o in &outcomes {
        let src = &expo.samples[o.index];
        let tail = format!(
            r#","value":{},"line":{}{}}}"#,
            string(&format_prom_float(src.value)),
            src.line,
            src.timestamp_ms.map(|t| format!(r#","timestamp_ms":{t}"#)).unwrap_or_default()
        );
        match &o.result {
            MetricResult::Kept { labels, collision_with } => {
                let mark = match collision_with {
                    Some(first) => format!(r#","collision":true,"same_as_line":{}"#, expo.samples[*first].line),
                    None => String::new(),
                };
                kept.push(format!(r#"{{"labels":{}{mark}{tail}"#, labels_json(labels)));
            }
            MetricResult::Dropped { rule } => {
                let rule = rule.map_or("null".to_string(), |r| r.to_string());
                dropped.push(format!(r#"{{"labels":{},"dropped_by":{rule}{tail}"#, labels_json(&o.attached)));
            }
            MetricResult::Error { labels, message } => {
                errors.push(format!(r#"{{"labels":{},"error":{}{tail}"#, labels_json(labels), string(message)));
            }
        }
    }
    let mut out = format!("{{\"kept\":[{}],\n\"dropped\":[{}]", kept.join(",\n"), dropped.join(",\n"));
    if !errors.is_empty() {
        out.push_str(&format!(",\n\"errors\":[{}]", errors.join(",\n")));
    }
    out.push_str("}\n");
    Ok(out)
}

/// A label set as a JSON object, in label-name order.
pub fn labels_json(l: &Labels) -> String {
    let pairs: Vec<String> = l.iter().map(|l| format!("{}:{}", string(&l.name), string(&l.value))).collect();
    format!("{{{}}}", pairs.join(","))
}

fn steps_json(steps: &[Step]) -> String {
    let items: Vec<String> = steps
        .iter()
        .map(|s| {
            let labels = s.labels_after.as_ref().map_or("null".to_string(), labels_json);
            format!(r#"{{"rule":{},"action":"{}","changed":{},"labels":{labels}}}"#, s.rule_index, s.action, s.changed)
        })
        .collect();
    format!("[{}]", items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str, body: &str) -> String {
        let p = std::env::temp_dir().join(format!("promplay-relabel-{}-{name}", std::process::id()));
        std::fs::write(&p, body).unwrap_or_else(|e| panic!("{e}"));
        p.display().to_string()
    }

    fn argv(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn targets_mode_marks_drops_and_errors() {
        let cfg = tmp("t.yml", "- source_labels: [env]\n  regex: dev\n  action: drop\n");
        let targets =
            tmp("t.json", r#"[{"targets":["a:1"],"labels":{"env":"dev"}},{"__address__":"b:2"},{"env":"x"}]"#);
        let (code, out) = main(&argv(&["--config", &cfg, "--targets", &targets]));
        assert_eq!(code, 0);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].contains(r#""result":"dropped","kept":false,"labels":null,"dropped_by":0"#), "{out}");
        assert!(lines[1].contains(r#""target":{"instance":"b:2","job":"relabel"}"#), "{out}");
        assert!(lines[2].contains(r#""error":"no address""#), "{out}");
    }

    #[test]
    fn metric_mode_marks_collisions() {
        let cfg = tmp("m.yml", "- regex: device\n  action: labeldrop\n");
        let data = tmp("m.prom", "x{device=\"a\"} 1\nx{device=\"b\"} 2\ny 3\n");
        let (code, out) = main(&argv(&["--metric", "--config", &cfg, "--data", &data, "--target-label", "job=j"]));
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains(
                r#"{"labels":{"__name__":"x","job":"j"},"collision":true,"same_as_line":1,"value":"2","line":2}"#
            ),
            "{out}"
        );
        assert!(out.contains(r#""dropped":[]"#), "{out}");
    }

    #[test]
    fn bad_config_is_an_error_exit() {
        let cfg = tmp("bad.yml", "- action: nope\n");
        let targets = tmp("bad.json", "[]");
        assert_eq!(main(&argv(&["--config", &cfg, "--targets", &targets])).0, 1);
        assert_eq!(main(&argv(&["--targets", &targets])).0, 2);
    }
}
