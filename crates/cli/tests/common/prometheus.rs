//! A real Prometheus (Debian's 2.42, `/usr/bin/prometheus`, installed by `cargo xtask setup`)
//! on a free 127.0.0.1 port, its data backfilled from an OpenMetrics file with `promtool tsdb
//! create-blocks-from openmetrics`, as `shared/oracle`'s backfill path does. Dropping the value
//! stops the server (SIGTERM through `kill`, then SIGKILL) and deletes its directory.
//! `tests/e2e/prometheus.mjs` does the same for the browser tests.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PROMETHEUS: &str = "/usr/bin/prometheus";
pub const PROMTOOL: &str = "/usr/bin/promtool";

#[derive(Debug)]
pub struct Prometheus {
    pub url: String,
    dir: PathBuf,
    child: Child,
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    l.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("local_addr: {e}"))
}

impl Prometheus {
    /// Backfills `data` and starts the server; panics with the server's log when it does not
    /// come up (the tests need it: CI installs it).
    pub fn start(data: &str) -> Prometheus {
        assert!(
            std::path::Path::new(PROMETHEUS).exists() && std::path::Path::new(PROMTOOL).exists(),
            "{PROMETHEUS} and {PROMTOOL} are needed (apt-get install prometheus, or cargo xtask setup)"
        );
        let dir = std::env::temp_dir().join(format!("promplay-prometheus-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let tsdb = dir.join("data");
        let out = Command::new(PROMTOOL)
            .args(["tsdb", "create-blocks-from", "openmetrics", data])
            .arg(&tsdb)
            .output()
            .unwrap_or_else(|e| panic!("promtool: {e}"));
        assert!(out.status.success(), "promtool could not backfill {data}:\n{}", String::from_utf8_lossy(&out.stderr));
        let config = dir.join("prometheus.yml");
        std::fs::write(&config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n").unwrap_or_else(|e| panic!("{e}"));
        let log = std::fs::File::create(dir.join("prometheus.log")).unwrap_or_else(|e| panic!("{e}"));
        let log2 = log.try_clone().unwrap_or_else(|e| panic!("{e}"));
        let port = free_port();
        let child = Command::new(PROMETHEUS)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.tsdb.path={}", tsdb.display()))
            .arg("--storage.tsdb.retention.time=100y")
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .unwrap_or_else(|e| panic!("{PROMETHEUS}: {e}"));
        let mut p = Prometheus { url: format!("http://127.0.0.1:{port}"), dir, child };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = p.child.try_wait() {
                panic!("prometheus exited ({status}):\n{}", p.log());
            }
            if ready(port) {
                return p;
            }
            assert!(Instant::now() < deadline, "prometheus not ready after 60 s:\n{}", p.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("prometheus.log")).unwrap_or_default()
    }
}

/// `GET /-/ready` answers 200.
fn ready(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /-/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_err() {
        return false;
    }
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf.starts_with("HTTP/1.0 200") || buf.starts_with("HTTP/1.1 200")
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        // SIGTERM first, so it shuts down cleanly; SIGKILL if it lingers.
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
