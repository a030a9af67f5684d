//! `promplay parse`: one expression per line in, one JSON verdict per line out.

use crate::api_json::string;
use std::io::Read;

pub fn main(argv: &[String]) -> (u8, String) {
    let text = match argv {
        [] => {
            let mut s = String::new();
            match std::io::stdin().read_to_string(&mut s) {
                Ok(_) => s,
                Err(e) => return (1, format!("{{\"ok\":false,\"error\":{}}}\n", string(&format!("stdin: {e}")))),
            }
        }
        [path] => match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) => return (1, format!("{{\"ok\":false,\"error\":{}}}\n", string(&format!("{path}: {e}")))),
        },
        _ => return (2, "usage: promplay parse [FILE]\n".to_string()),
    };
    let mut out = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match promql::parse(line) {
            Ok(expr) => out.push_str(&format!("{{\"ok\":true,\"expr\":{}}}\n", string(&expr.to_string()))),
            Err(e) => out.push_str(&format!("{{\"ok\":false,\"error\":{}}}\n", string(&e.to_string()))),
        }
    }
    (0, out)
}
