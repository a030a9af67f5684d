//! The unit vocabulary of client_golang's promlint as promtool 2.42 ships it (checked against
//! `/usr/bin/promtool check metrics`): known units with their base unit, the SI prefixes it
//! recognises, and the abbreviations it discourages.

/// `(unit, base unit)`; a unit that is its own base is fine.
const UNITS: &[(&str, &str)] = &[
    ("amperes", "amperes"),
    ("bytes", "bytes"),
    ("celsius", "celsius"),
    ("grams", "grams"),
    ("joules", "joules"),
    ("kelvin", "kelvin"),
    ("meters", "meters"),
    ("metres", "metres"),
    ("seconds", "seconds"),
    ("volts", "volts"),
    ("minutes", "seconds"),
    ("hours", "seconds"),
    ("days", "seconds"),
    ("weeks", "seconds"),
    ("kelvins", "kelvin"),
    ("fahrenheit", "celsius"),
    ("rankine", "celsius"),
    ("inches", "meters"),
    ("yards", "meters"),
    ("miles", "meters"),
    ("bits", "bytes"),
    ("calories", "joules"),
    ("pounds", "grams"),
    ("ounces", "grams"),
];

/// `exa`, `zetta`, `yotta` and `femto` are not in the list: promtool 2.42 does not flag
/// `_exabytes` or `_femtoseconds`.
const PREFIXES: &[&str] = &["pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "mega", "giga", "tera", "peta"];

/// Matched against the lower-cased name as `_x_` or a `_x` suffix, once per entry.
pub(super) const ABBREVIATIONS: &[&str] = &["s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"];

fn base_of(word: &str) -> Option<&'static str> {
    UNITS.iter().find(|(u, _)| *u == word).map(|(_, b)| *b)
}

/// The first `_`-separated part of `name` that is a known unit, optionally prefixed, with its
/// base unit. promlint walks a Go map here, so for a name with two units its pick is random;
/// taking the first part keeps promplay deterministic.
pub(super) fn metric_unit(name: &str) -> Option<(&str, &'static str)> {
    name.split('_').find_map(|part| {
        if let Some(b) = base_of(part) {
            return Some((part, b));
        }
        PREFIXES.iter().find_map(|p| part.strip_prefix(p).and_then(base_of).map(|b| (part, b)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_prefixes() {
        assert_eq!(metric_unit("a_kilobytes"), Some(("kilobytes", "bytes")));
        assert_eq!(metric_unit("a_bytes_total"), Some(("bytes", "bytes")));
        assert_eq!(metric_unit("a_exabytes"), None);
        assert_eq!(metric_unit("thermometers"), None);
    }
}
