//! The tenant header of Mimir, Cortex and Loki-style multi-tenant servers (`X-Scope-OrgID`), for
//! the CLI's and the page's remote mode alike: the ID is checked here, before a request carries
//! it, so a typo is told as such instead of as the server's 401.

/// The header's name.
pub const TENANT_HEADER: &str = "X-Scope-OrgID";

/// The longest tenant ID Mimir accepts, in bytes.
const MAX_LEN: usize = 150;

/// The header's value for what the user typed: `None` for nothing (a server without tenants),
/// or the IDs, `|`-separated for a query across tenants (Mimir's tenant federation). Each ID
/// holds only what Mimir documents: ASCII letters and digits, `! - _ . * ' ( )`, at most 150
/// bytes, and is neither `.` nor `..`.
pub fn tenant_header(typed: &str) -> Result<Option<String>, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    for id in typed.split('|') {
        let problem = if id.is_empty() {
            Some("an empty tenant ID (two | in a row, or one at an end)".to_string())
        } else if id == "." || id == ".." {
            Some(format!("{id:?} is not a valid tenant ID"))
        } else if id.len() > MAX_LEN {
            Some(format!("a tenant ID is at most {MAX_LEN} bytes, this one has {}", id.len()))
        } else {
            id.chars()
                .find(|c| !(c.is_ascii_alphanumeric() || "!-_.*'()".contains(*c)))
                .map(|c| format!("{c:?} in {id:?}: a tenant ID holds only letters, digits and ! - _ . * ' ( )"))
        };
        if let Some(p) = problem {
            return Err(format!("tenant: {p}"));
        }
    }
    Ok(Some(typed.to_string()))
}

#[cfg(test)]
mod tests {
    use super::tenant_header;

    #[test]
    fn ids_as_mimir_documents_them() {
        assert_eq!(tenant_header(""), Ok(None));
        assert_eq!(tenant_header("  "), Ok(None));
        assert_eq!(tenant_header(" team-a "), Ok(Some("team-a".into())));
        assert_eq!(tenant_header("a.b_c!*'(x)"), Ok(Some("a.b_c!*'(x)".into())));
        // Tenant federation: several IDs in one header.
        assert_eq!(tenant_header("team-a|team-b"), Ok(Some("team-a|team-b".into())));
        assert_eq!(tenant_header(&"x".repeat(150)), Ok(Some("x".repeat(150))));
        let err = |s: &str| tenant_header(s).err().unwrap_or_default();
        assert!(err("team a").contains("' ' in \"team a\""), "{}", err("team a"));
        assert!(err("a/b").contains("'/'"), "{}", err("a/b"));
        assert!(err("é").contains("'é'"), "{}", err("é"));
        assert!(err("..").contains("\"..\" is not a valid tenant ID"));
        assert!(err("a||b").contains("an empty tenant ID"));
        assert!(err("a|").contains("an empty tenant ID"));
        assert!(err(&"x".repeat(151)).contains("at most 150 bytes, this one has 151"));
        assert!(err("a b").starts_with("tenant: "));
    }
}
