//! The blocking HTTP side of `import` and `compare`: one GET per API request, credentials from
//! files (never from the command line, where `ps` shows them), and errors that say whether the
//! server could not be reached or answered with an error.

use std::time::Duration;

use remote::{check_status, ApiError, ApiRequest};

use crate::args::Args;

/// The flags every remote command takes.
pub const FLAGS: [&str; 6] = ["url", "bearer-token-file", "user", "password-file", "tenant", "timeout"];

/// Bodies up to 1 GiB: a chunk of a large import is big, but not unbounded.
const BODY_LIMIT: u64 = 1 << 30;

/// Why a request failed.
#[derive(Debug)]
pub enum Failure {
    /// The server could not be reached (connection refused, DNS, TLS, timeout).
    Unreachable(String),
    /// It answered, with an error or something unusable.
    Answer(ApiError),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Unreachable(m) => f.write_str(m),
            Failure::Answer(e) => e.fmt(f),
        }
    }
}

pub struct Client {
    base: String,
    agent: ureq::Agent,
    authorization: Option<String>,
    /// Mimir's and Cortex's `X-Scope-OrgID`.
    tenant: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the credentials.
        f.debug_struct("Client").field("base", &self.base).finish_non_exhaustive()
    }
}

impl Client {
    /// From `--url`, `--bearer-token-file F` or `--user U --password-file F`, `--tenant ID`,
    /// `--timeout D`.
    pub fn from_args(args: &Args) -> Result<Client, String> {
        let base = args.one("url")?.ok_or("--url URL is required (the server's base URL, e.g. http://localhost:9090)")?;
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(format!("--url {base:?}: give an http:// or https:// URL"));
        }
        let read = |flag: &str, path: &str| -> Result<String, String> {
            let text = std::fs::read_to_string(path).map_err(|e| format!("--{flag} {path}: {e}"))?;
            Ok(text.trim_end_matches(['\n', '\r']).to_string())
        };
        let authorization = match (args.one("bearer-token-file")?, args.one("user")?, args.one("password-file")?) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err("give either --bearer-token-file or --user/--password-file, not both".into())
            }
            (Some(f), None, None) => Some(format!("Bearer {}", read("bearer-token-file", f)?)),
            (None, Some(user), pass) => {
                let password = match pass {
                    Some(f) => read("password-file", f)?,
                    None => String::new(),
                };
                Some(model::basic_auth(user, &password))
            }
            (None, None, Some(_)) => return Err("--password-file needs --user".into()),
            (None, None, None) => None,
        };
        let tenant = model::tenant_header(args.one("tenant")?.unwrap_or_default()).map_err(|e| format!("--{e}"))?;
        let timeout = match args.one("timeout")? {
            Some(s) => model::timearg::parse_duration_arg(s).map_err(|e| format!("invalid parameter \"timeout\": {e}"))?,
            None => 120_000,
        };
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_millis(timeout.max(1) as u64)))
            .user_agent(concat!("promplay/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Client { base: base.to_string(), agent: config.into(), authorization, tenant })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// GETs the request and returns the body of a 2xx answer.
    pub fn get(&self, req: &ApiRequest) -> Result<String, Failure> {
        let (status, body) = self.get_raw(req)?;
        check_status(status, &body).map_err(Failure::Answer)?;
        Ok(body)
    }

    /// GETs the request and returns the status and the body, whatever the status.
    pub fn get_raw(&self, req: &ApiRequest) -> Result<(u16, String), Failure> {
        let url = req.url(&self.base);
        let mut r = self.agent.get(&url).header("Accept", "application/json");
        if let Some(a) = &self.authorization {
            r = r.header("Authorization", a);
        }
        if let Some(t) = &self.tenant {
            r = r.header(model::TENANT_HEADER, t);
        }
        let mut resp = r.call().map_err(|e| unreachable(&self.base, &e))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_string()
            .map_err(|e| Failure::Unreachable(format!("reading the answer of {}: {e}", self.base)))?;
        Ok((status, body))
    }
}

fn unreachable(base: &str, e: &ureq::Error) -> Failure {
    let why = match e {
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::HostNotFound => "host not found".to_string(),
        other => other.to_string(),
    };
    Failure::Unreachable(format!("cannot reach {base}: {why}"))
}
