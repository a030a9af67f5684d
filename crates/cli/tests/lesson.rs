//! `promplay lesson check` as an instructor's CI runs it: the built-in course under
//! `www/lessons/` (every lesson `index.json` lists, and every lesson file there), small lessons
//! of our own, and broken ones whose failures must name the file, the line and the fault.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn data(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel).to_string_lossy().into_owned()
}

fn datasets() -> String {
    root().join("www/datasets").to_string_lossy().into_owned()
}

fn promplay(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_promplay")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn check(files: &[&str]) -> (i32, String) {
    let ds = datasets();
    let mut args = vec!["lesson", "check", "--datasets", ds.as_str()];
    args.extend(files.iter().copied());
    promplay(&args)
}

/// A lesson written to a fresh temporary file.
fn temp_lesson(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("promplay-lesson-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn our_own_lessons_check() {
    let files = [data("lessons/own-data.md"), data("lessons/dataset.md")];
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let (code, out) = check(&files);
    assert_eq!((code, out.as_str()), (0, "2 lessons, 5 exercises, 0 failed\n"));
}

/// The built-in course: whatever `www/lessons/index.json` lists must exist, carry the listed
/// id, and check; lesson files it does not list are checked too (and reported as unlisted).
#[test]
fn the_built_in_lessons_check() {
    let dir = root().join("www/lessons");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "md") && p.file_name().is_some_and(|n| n != "FORMAT.md"));
    files.sort();
    let index = dir.join("index.json");
    if index.exists() {
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&index).unwrap()).unwrap();
        let listed = json["lessons"].as_array().expect("index.json: a `lessons` list");
        assert!(!listed.is_empty(), "index.json lists no lessons");
        let mut listed_files = Vec::new();
        for l in listed {
            let (id, file) = (l["id"].as_str().unwrap(), l["file"].as_str().unwrap());
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("index.json lists {file}: {e}"));
            let parsed = lesson::parse(&text).unwrap_or_else(|e| panic!("{file}:{e}"));
            assert_eq!(parsed.lesson.id, id, "{file}: the id in index.json differs from the lesson's");
            listed_files.push(path);
        }
        let unlisted: Vec<&PathBuf> = files.iter().filter(|f| !listed_files.contains(f)).collect();
        assert!(unlisted.is_empty(), "lesson files that index.json does not list: {unlisted:?}");
    }
    if files.is_empty() {
        // No course yet (and no index.json listing one, or the loop above failed).
        return;
    }
    let names: Vec<String> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (code, out) = check(&names);
    assert_eq!(code, 0, "{out}");
    let summary = out.lines().last().unwrap_or("");
    assert!(summary.starts_with(&format!("{} lessons, ", files.len())) && summary.ends_with(", 0 failed"), "{out}");
}

#[test]
fn broken_lessons_fail_with_their_line() {
    let (empty, yaml, start) =
        (data("broken/empty-solution.md"), data("broken/yaml-error.md"), data("broken/start-passes.md"));
    let (code, out) = check(&[&empty]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!("{empty}:19: exercise \"nothing\": the solution returns an empty result: a learner could not tell a right answer from a wrong one\n1 lessons, 2 exercises, 1 failed\n")
    );
    let (code, out) = check(&[&yaml]);
    assert_eq!(code, 1);
    assert!(out.starts_with(&format!("{yaml}:12:9: yaml: ")), "{out}");
    let (code, out) = check(&[&start]);
    assert_eq!(code, 1);
    assert!(out.starts_with(&format!("{start}:12: exercise \"solved\": the starting text already passes")), "{out}");
    // Failures add up; good lessons in the same run still pass.
    let (code, out) = check(&[&empty, &yaml, &start, &data("lessons/own-data.md")]);
    assert_eq!(code, 1);
    assert!(out.ends_with("4 lessons, 6 exercises, 3 failed\n"), "{out}");
}

#[test]
fn solutions_that_fail_and_data_that_does_not_load() {
    let head = "---\nid: t\ntitle: T\ntime: 600\n---\n\n```data\nload 1m\n  x{a=\"1\"} 1x10\n  x{a=\"2\"} 1x10\n  y{a=\"1\"} 2x10\n";
    let fails = temp_lesson(
        "fails.md",
        &format!("{head}```\n\n```exercise\nid: join\ntitle: J\ntask: t\nsolution: x + on() y\n```\n"),
    );
    let (code, out) = check(&[&fails]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with(&format!("{fails}:14: exercise \"join\": the solution does not pass its own check: the exercise's solution fails (a fault of the lesson): ")),
        "{out}"
    );
    // A load error points at its line in the lesson file: the data's line 3 is file line 10.
    let broken = head.replace("x{a=\"2\"} 1x10", "x{a=\"2\" 1x10");
    let bad_data = temp_lesson(
        "bad-data.md",
        &format!("{broken}```\n\n```exercise\nid: e\ntitle: E\ntask: t\nsolution: x\n```\n"),
    );
    let (code, out) = check(&[&bad_data]);
    assert_eq!(code, 1);
    assert!(out.starts_with(&format!("{bad_data}:10: the lesson's data does not load: 3:")), "{out}");
    assert!(out.ends_with("1 lessons, 1 exercises, 1 failed\n"), "{out}");
}

#[test]
fn datasets_are_resolved_through_the_index() {
    let missing = temp_lesson("missing.md", "---\nid: m\ntitle: M\ndataset: no-such-data\n---\n\n```exercise\nid: e\ntitle: E\ntask: t\nsolution: up\n```\n");
    let (code, out) = check(&[&missing]);
    assert_eq!(code, 1);
    assert!(out.starts_with(&format!("{missing}:4: no dataset \"no-such-data\" in ")), "{out}");
    let gz = temp_lesson("gz.md", "---\nid: g\ntitle: G\ndataset: capture-full\n---\n\n```exercise\nid: e\ntitle: E\ntask: t\nsolution: up\n```\n");
    let (code, out) = check(&[&gz]);
    assert_eq!(code, 1);
    assert!(out.contains("is gzip-compressed (capture-20261121.om.gz)"), "{out}");
    // The dataset's own time applies: ACME's counters at 1700000605 (40172 is the largest).
    let acme = temp_lesson("acme.md", "---\nid: a\ntitle: A\ndataset: acme-beverages\n---\n\n```exercise\nid: e\ntitle: E\ntask: t\nsolution: max(beverages_consumed_total) == 40172\n```\n");
    assert_eq!(check(&[&acme]), (0, "1 lessons, 1 exercises, 0 failed\n".to_string()));
}

#[test]
fn usage_errors() {
    assert_eq!(promplay(&["lesson"]).0, 2);
    assert_eq!(promplay(&["lesson", "check"]).0, 2);
    assert_eq!(promplay(&["lesson", "check", "--nope", "x", "a.md"]).0, 2);
    let (code, out) = promplay(&["lesson", "check", "/no/such/lesson.md"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("/no/such/lesson.md:1: cannot read the lesson: "), "{out}");
}
