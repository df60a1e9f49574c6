//! How hard a committed write is pushed to disk.

/// The `durability` setting. `Full` is the default for a system of
/// record: a committed case survives a power cut. `Normal` survives a
/// crash of the process but may lose the last commits on a power cut, in
/// exchange for faster writes (the WAL is synced at checkpoints only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    #[default]
    Full,
    Normal,
}

impl Durability {
    pub fn from_code(code: &str) -> Option<Durability> {
        match code {
            "full" => Some(Durability::Full),
            "normal" => Some(Durability::Normal),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Durability::Full => "full",
            Durability::Normal => "normal",
        }
    }
}
