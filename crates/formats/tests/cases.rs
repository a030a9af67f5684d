//! Snapshot cases: every `tests/formats/cases/NAME.{prom,om}` is parsed and dumped in a plain
//! form that must equal `NAME.expected`. Set `UPDATE_SNAPSHOTS=1` to rewrite the snapshots
//! (then review the diff).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write;

fn dump(exp: &formats::Exposition) -> String {
    let mut out = String::new();
    for f in &exp.families {
        let _ = writeln!(
            out,
            "family {} {} help={:?} unit={:?}",
            f.name,
            f.kind,
            f.help.as_deref().unwrap_or("-"),
            f.unit.as_deref().unwrap_or("-")
        );
    }
    for s in &exp.samples {
        let ts = s.timestamp_ms.map_or("-".to_string(), |t| t.to_string());
        let _ = write!(
            out,
            "line {} {} {} @{}",
            s.line,
            s.labels,
            model::format_prom_float(s.value),
            ts
        );
        if let Some(e) = &s.exemplar {
            let ets = e.timestamp_ms.map_or("-".to_string(), |t| t.to_string());
            let _ = write!(
                out,
                " exemplar {} {} @{}",
                e.labels,
                model::format_prom_float(e.value),
                ets
            );
        }
        out.push('\n');
    }
    out
}

#[test]
fn snapshot_cases() {
    let dir = common::data_dir().join("cases");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut seen = 0;
    for path in names {
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if ext != "prom" && ext != "om" {
            continue;
        }
        seen += 1;
        let input = std::fs::read_to_string(&path).unwrap();
        let exp = formats::parse_auto(&input).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got = dump(&exp);
        let snap = path.with_extension("expected");
        if update {
            std::fs::write(&snap, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&snap).unwrap_or_default();
        assert_eq!(got, want, "{} differs from its snapshot", path.display());
    }
    assert!(seen >= 2);
}
