//! Case numbers: `{prefix}〔{year}〕第{seq:04}号`, one sequence per year.

/// A case number's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNo {
    pub prefix: String,
    pub year: i32,
    pub seq: i64,
}

impl CaseNo {
    /// The largest sequence a number may carry: far more cases than any
    /// committee registers in a year, and far below the counter's limit.
    pub const SEQ_MAX: i64 = 999_999;

    pub fn new(prefix: &str, year: i32, seq: i64) -> CaseNo {
        CaseNo {
            prefix: prefix.to_string(),
            year,
            seq,
        }
    }

    /// Reads `物调〔2023〕第0007号` (also with `[2023]`, `(2023)` or `［2023］`).
    pub fn parse(text: &str) -> Option<CaseNo> {
        let text = text.trim();
        let open = text.find(['〔', '[', '(', '（', '［'])?;
        let prefix = &text[..open];
        let rest = &text[open..];
        let rest = rest.trim_start_matches(['〔', '[', '(', '（', '［']);
        let close = rest.find(['〕', ']', ')', '）', '］'])?;
        let year: i32 = rest[..close].parse().ok()?;
        let rest = rest[close..].trim_start_matches(['〕', ']', ')', '）', '］']);
        let seq: i64 = rest.strip_prefix('第')?.strip_suffix('号')?.parse().ok()?;
        (!prefix.is_empty() && (1990..=2100).contains(&year) && seq > 0).then(|| CaseNo::new(prefix, year, seq))
    }
}

impl std::fmt::Display for CaseNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}〔{}〕第{:04}号", self.prefix, self.year, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_reads_back() {
        let no = CaseNo::new("物调", 2023, 7);
        assert_eq!(no.to_string(), "物调〔2023〕第0007号");
        assert_eq!(CaseNo::parse("物调〔2023〕第0007号"), Some(no));
        assert_eq!(CaseNo::parse("物调[2024]第12345号").unwrap().seq, 12345);
        assert_eq!(CaseNo::parse("2023-7"), None);
    }
}
