//! Pinned tool installation. Each tool goes into its own versioned folder of a cache directory,
//! so a second run finds it and returns at once, and a version bump installs beside the old one.

use std::path::{Path, PathBuf};

use crate::cmd::{have, run, workspace_root, Cmd};

const TRUNK: &str = "0.21.14";
const BINARYEN: &str = "132.0.0";

/// Where the pinned tools live, and the PATH that puts them first.
#[derive(Debug)]
pub struct Tools {
    pub bin_dirs: Vec<PathBuf>,
}

impl Tools {
    /// PATH with the pinned tools first, so Debian's binaryen can never shadow ours.
    pub fn path(&self) -> String {
        let mut parts: Vec<String> = self.bin_dirs.iter().map(|p| p.display().to_string()).collect();
        parts.push(std::env::var("PATH").unwrap_or_default());
        parts.join(":")
    }

    pub fn cmd(&self, program: &str) -> Cmd {
        Cmd::new(program).env("PATH", &self.path()).env("TRUNK_SKIP_VERSION_CHECK", "true")
    }
}

fn cache_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("PROMPLAY_TOOLS") {
        return PathBuf::from(dir);
    }
    let base = std::env::var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/tmp".into())).join(".cache"));
    base.join("promplay-tools")
}

pub fn setup() -> Result<Tools, String> {
    let cache = cache_dir();
    std::fs::create_dir_all(&cache).map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    wasm_target()?;
    let wb_version = wasm_bindgen_version()?;
    let trunk = cargo_install(&cache, "trunk", TRUNK, &["--locked", "--no-default-features", "--features", "rustls"])?;
    let wb = cargo_install(&cache, "wasm-bindgen-cli", &wb_version, &[])?;
    let binaryen = npm_install(&cache.join(format!("binaryen-{BINARYEN}")), &format!("binaryen@{BINARYEN}"))?;
    chromium()?;
    prometheus()?;
    e2e_packages()?;
    Ok(Tools { bin_dirs: vec![trunk, wb, binaryen] })
}

fn wasm_target() -> Result<(), String> {
    let installed = Cmd::new("rustup").args(["target", "list", "--installed"]).output()?;
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    run(Cmd::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// wasm-bindgen-cli must equal the wasm-bindgen the app links, which Cargo.lock records.
fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// `cargo install NAME@VERSION` into `cache/NAME-VERSION`, unless already there.
fn cargo_install(cache: &Path, name: &str, version: &str, extra: &[&str]) -> Result<PathBuf, String> {
    let short = name.trim_end_matches("-cli");
    let root = cache.join(format!("{short}-{version}"));
    let bin = root.join("bin");
    let marker = root.join(".installed");
    if marker.exists() {
        return Ok(bin);
    }
    eprintln!("xtask: installing {name} {version} into {} (once; a few minutes)", root.display());
    let spec = format!("{name}@{version}");
    let base = ["install", spec.as_str(), "--root", root.to_str().unwrap_or_default()];
    let first = run(Cmd::new("cargo").args(base).args(extra.iter().copied()));
    if first.is_err() && extra.contains(&"--locked") {
        // Some releases lock a dependency version that has since been yanked.
        let rest: Vec<&str> = extra.iter().copied().filter(|a| *a != "--locked").collect();
        run(Cmd::new("cargo").args(base).args(rest))?;
    } else {
        first?;
    }
    std::fs::write(&marker, version).map_err(|e| e.to_string())?;
    Ok(bin)
}

fn npm_install(prefix: &Path, spec: &str) -> Result<PathBuf, String> {
    let bin = prefix.join("node_modules").join(".bin");
    if bin.join("wasm-opt").exists() {
        return Ok(bin);
    }
    std::fs::create_dir_all(prefix).map_err(|e| e.to_string())?;
    run(Cmd::new("npm").args(["install", "--no-audit", "--no-fund", "--prefix"]).arg(prefix).arg(spec))?;
    Ok(bin)
}

/// Debian's Chromium and ChromeDriver: the real browser the tests drive.
fn chromium() -> Result<(), String> {
    if have("/usr/bin/chromium") && have("/usr/bin/chromedriver") {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// Debian's Prometheus (2.42) and promtool: the real server the remote-mode tests import from
/// and compare with (crates/cli/tests/remote.rs, tests/e2e/prometheus.mjs).
fn prometheus() -> Result<(), String> {
    if have("/usr/bin/prometheus") && have("/usr/bin/promtool") {
        return Ok(());
    }
    apt_install(&["prometheus"])
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        run(Cmd::new(all[0]).args(all[1..].iter().copied()).env("DEBIAN_FRONTEND", "noninteractive"))
    };
    apt(&["update"])?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend_from_slice(packages);
    apt(&args)
}

fn is_root() -> bool {
    Cmd::new("id").arg("-u").output().map(|o| o.trim() == "0").unwrap_or(false)
}

/// playwright-core for the end-to-end test, exactly as package-lock.json pins it.
fn e2e_packages() -> Result<(), String> {
    let dir = workspace_root().join("tests").join("e2e");
    if dir.join("node_modules").join("playwright-core").join("package.json").exists() {
        return Ok(());
    }
    run(Cmd::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir))
}
