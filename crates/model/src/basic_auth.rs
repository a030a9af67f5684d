//! The `Authorization` value of HTTP basic auth, for the CLI's and the page's remote mode alike
//! (the one crate both link that does no I/O and carries no engine).

/// `Basic ` and base64 (RFC 4648, padded) of `user:password` in UTF-8 (RFC 7617).
pub fn basic_auth(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}");
    let mut out = String::with_capacity(6 + input.len().div_ceil(3) * 4);
    out.push_str("Basic ");
    for group in input.as_bytes().chunks(3) {
        let n = group.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                // A 6-bit index: always inside the alphabet.
                out.push(char::from(ALPHABET.get((n >> (18 - 6 * i) & 63) as usize).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::basic_auth;

    #[test]
    fn rfc_examples() {
        assert_eq!(basic_auth("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(basic_auth("a", ""), "Basic YTo=");
        assert_eq!(basic_auth("ab", "c"), "Basic YWI6Yw==");
        assert_eq!(basic_auth("é", "x"), "Basic w6k6eA==");
        assert_eq!(basic_auth("user", "pa ss"), "Basic dXNlcjpwYSBzcw==");
        // RFC 4648's vectors, through the `user:` prefix: "fooba" is "foo" + ":" + "ba".
        assert_eq!(basic_auth("foo", "ba"), "Basic Zm9vOmJh");
    }
}
