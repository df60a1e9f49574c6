//! The reference lists (categories, sources, party types, districts): codes
//! an admin may add, rename and retire, each with a label in both
//! languages. Loaded from the store; the rules of choosing a code live here.

use std::collections::HashMap;

use super::{Lang, RefList};

/// One code of a reference list, with its labels.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefItem {
    pub code: String,
    pub label_zh: String,
    pub label_en: String,
    pub retired: bool,
}

impl RefItem {
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.label_zh, &self.label_en)
    }
}

/// All four lists, loaded once per request that needs them.
#[derive(Debug, Clone, Default)]
pub struct RefLists {
    pub categories: Vec<RefItem>,
    pub sources: Vec<RefItem>,
    pub party_types: Vec<RefItem>,
    pub districts: Vec<RefItem>,
}

impl RefLists {
    pub fn list(&self, list: RefList) -> &[RefItem] {
        match list {
            RefList::Category => &self.categories,
            RefList::Source => &self.sources,
            RefList::PartyType => &self.party_types,
            RefList::District => &self.districts,
        }
    }

    /// A code's label, or the code itself when it is not in the list.
    pub fn label<'a>(&'a self, list: RefList, code: &'a str, lang: Lang) -> &'a str {
        self.list(list)
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.label(lang))
            .unwrap_or(code)
    }

    /// True when the code may be chosen for a new or changed record.
    pub fn allowed(&self, list: RefList, code: &str) -> bool {
        self.list(list).iter().any(|i| i.code == code && !i.retired)
    }

    /// Looks a value up by code or by either label (CSV cells carry labels).
    pub fn code_for(&self, list: RefList, value: &str) -> Option<&str> {
        let v = value.trim();
        self.list(list)
            .iter()
            .find(|i| i.code == v || i.label_zh == v || i.label_en.eq_ignore_ascii_case(v))
            .map(|i| i.code.as_str())
    }

    pub fn label_map(&self, list: RefList, lang: Lang) -> HashMap<String, String> {
        self.list(list)
            .iter()
            .map(|i| (i.code.clone(), i.label(lang).to_string()))
            .collect()
    }
}

/// The longest code of a reference list.
pub const CODE_MAX: usize = 40;

/// The rule for a code: 1 to 40 lowercase Latin letters, digits and
/// underscores (codes travel in URLs, CSV files and the database).
pub fn is_valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= CODE_MAX
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A code for a new entry, so an admin never has to invent one: the
/// English label's Latin letters and digits as lowercase words joined by
/// `_` ("Lift repairs" → `lift_repairs`), or `c1`, `c2` ... when it has
/// none; `_2`, `_3` ... added while `taken` says the code is used.
pub fn generate_code(label_en: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut slug = String::new();
    for word in label_en
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > CODE_MAX - 4 {
            break;
        }
        if !slug.is_empty() {
            slug.push('_');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        return (1..).map(|n| format!("c{n}")).find(|c| !taken(c)).unwrap_or_default();
    }
    if !taken(&slug) {
        return slug;
    }
    (2..)
        .map(|n| format!("{slug}_{n}"))
        .find(|c| !taken(c))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_made_from_the_english_label_and_never_repeat() {
        let none = |_: &str| false;
        assert_eq!(generate_code("Lift repairs", none), "lift_repairs");
        assert_eq!(
            generate_code("  Xiong'an New Area (2017) ", none),
            "xiong_an_new_area_2017"
        );
        assert_eq!(generate_code("电梯", |c| c == "c1"), "c2");
        assert_eq!(generate_code("Lifts", |c| c == "lifts" || c == "lifts_2"), "lifts_3");
        let long = generate_code(&"word ".repeat(30), none);
        assert!(is_valid_code(&long) && long.len() <= CODE_MAX - 4, "{long}");
        for code in ["lift_repairs", "c2", "lifts_3", "xiong_an_new_area_2017"] {
            assert!(is_valid_code(code));
        }
        assert!(!is_valid_code("Bad Code") && !is_valid_code(""));
    }
}
