//! Running external commands with their command line echoed, plus the build and serve steps.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::Tools;

/// A command that says what it runs before running it.
#[derive(Debug)]
pub struct Cmd {
    inner: Command,
    shown: String,
}

impl Cmd {
    pub fn new(program: &str) -> Self {
        let mut inner = Command::new(program);
        inner.current_dir(workspace_root());
        Cmd { inner, shown: program.to_string() }
    }

    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Self {
        self.shown.push(' ');
        self.shown.push_str(&a.as_ref().to_string_lossy());
        self.inner.arg(a);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for a in args {
            self = self.arg(a);
        }
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.inner.env(k, v);
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.inner.current_dir(dir);
        self
    }

    pub fn stdout(mut self, cfg: std::process::Stdio) -> Self {
        self.inner.stdout(cfg);
        self
    }

    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub fn status(mut self) -> Result<bool, String> {
        eprintln!("$ {}", self.shown);
        self.inner.status().map(|s| s.success()).map_err(|e| format!("cannot run {}: {e}", self.shown))
    }

    /// Runs quietly and returns stdout.
    pub fn output(mut self) -> Result<String, String> {
        let out = self.inner.output().map_err(|e| format!("cannot run {}: {e}", self.shown))?;
        if !out.status.success() {
            return Err(format!("{} failed: {}", self.shown, String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn spawn(mut self) -> Result<std::process::Child, String> {
        eprintln!("$ {} &", self.shown);
        self.inner.spawn().map_err(|e| format!("cannot run {}: {e}", self.shown))
    }
}

pub fn run(cmd: Cmd) -> Result<(), String> {
    let shown = cmd.shown().to_string();
    if cmd.status()? {
        Ok(())
    } else {
        Err(format!("`{shown}` failed"))
    }
}

pub fn have(path: &str) -> bool {
    Path::new(path).exists()
}

pub fn workspace_root() -> PathBuf {
    // crates/xtask -> the workspace
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).map(Path::to_path_buf).unwrap_or_default()
}

pub fn dist_dir() -> PathBuf {
    workspace_root().join("dist")
}

pub fn build_release(tools: &Tools) -> Result<(), String> {
    run(tools.cmd("trunk").args(["build", "--release", "--dist"]).arg(dist_dir()))
}

pub fn serve(tools: &Tools) -> Result<(), String> {
    eprintln!("xtask: serving on http://127.0.0.1:8080 (Ctrl+C stops)");
    run(tools.cmd("trunk").args(["serve", "--release", "--address", "127.0.0.1", "--port", "8080", "--dist"]).arg(dist_dir()))
}
