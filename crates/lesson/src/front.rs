//! The front matter: the lesson's id, title, and where its data and time come from.

use relabel::yaml::Pos;

use crate::yamlin::{check_id, entries, required, text, Origin};
use crate::Error;

#[derive(Debug, Default, PartialEq)]
pub struct Front {
    pub id: String,
    pub title: String,
    pub dataset: Option<String>,
    /// As written (unix seconds or RFC 3339); empty when not given.
    pub time: String,
}

const KEYS: [&str; 4] = ["id", "title", "dataset", "time"];

pub fn parse(yaml_text: &str, line: usize) -> Result<Front, Error> {
    let o = Origin { line, indent: 0 };
    let root = o.parse(yaml_text)?;
    if root.is_null() {
        return Err(Error::new(line, 1, "the front matter is empty: it needs `id:` and `title:`"));
    }
    let items = entries(&root, o, "the front matter", &KEYS)?;
    let get = |k: &str| items.iter().find(|(n, _, _)| *n == k).map(|(_, _, v)| *v);
    let at = Pos { line: 1, col: 1 };
    let id = required(get("id"), o, at, "id", "the front matter")?;
    if let Some(v) = get("id") {
        check_id(&id, v, o)?;
    }
    let title = required(get("title"), o, at, "title", "the front matter")?;
    let dataset = match get("dataset") {
        Some(v) => text(v, o, "dataset")?.filter(|s| !s.trim().is_empty()),
        None => None,
    };
    let time = match get("time") {
        Some(v) => {
            let t = text(v, o, "time")?.unwrap_or_default();
            if !t.trim().is_empty() {
                model::timearg::parse_time(t.trim()).map_err(|e| o.error(v.pos, format!("time: {e}")))?;
            }
            t.trim().to_string()
        }
        None => String::new(),
    };
    Ok(Front { id, title: title.trim().to_string(), dataset, time })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let f = parse("id: sel-1\ntitle: Selectors # comment\ndataset: acme-beverages\ntime: 1700000605", 2);
        assert_eq!(
            f,
            Ok(Front {
                id: "sel-1".into(),
                title: "Selectors".into(),
                dataset: Some("acme-beverages".into()),
                time: "1700000605".into()
            })
        );
        let f = parse("id: x\ntitle: T\ntime: 2023-11-14T22:13:20Z", 2);
        assert_eq!(f.map(|f| f.time), Ok("2023-11-14T22:13:20Z".to_string()));
    }

    #[test]
    fn errors_point_into_the_file() {
        let e = |y: &str| parse(y, 2).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            e("id: x\ntitel: T"),
            "3:1: the front matter: unknown key \"titel\" (known: id, title, dataset, time)"
        );
        assert_eq!(e("id: x"), "2:1: the front matter needs `title:`");
        assert_eq!(e("id: Big\ntitle: T"), "2:5: id \"Big\" may only hold a-z, 0-9 and -");
        assert!(e("id: x\ntitle: T\ntime: soon").starts_with("4:7: time: "));
        assert!(e("id: [x\ntitle: T").starts_with("3:"), "{}", e("id: [x\ntitle: T"));
        assert_eq!(e(""), "2:1: the front matter is empty: it needs `id:` and `title:`");
    }
}
