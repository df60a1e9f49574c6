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
