//! An FTS5 structure record read and written back, and the levels a
//! settled structure puts its segments on.

/// FTS5's own limit on an index's levels (`FTS5_MAX_LEVEL`).
const MAX_LEVELS: usize = 64;

/// An FTS5 structure record, as `fts5StructureDecode` reads it: a cookie
/// (and, for `contentless_delete` indexes, the version-2 marker), the
/// number of levels and segments, the write counter, then each level's
/// merge in progress and its segments, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Structure {
    head: Vec<u8>,
    write_counter: u64,
    pub(super) levels: Vec<Level>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Level {
    /// Segments (from the first) that are inputs to a merge in progress.
    merging: u64,
    /// Each segment's fields: id, first and last page, and in version 2
    /// its origins, tombstone pages and entries, kept as read.
    pub(super) segments: Vec<Vec<u64>>,
}

/// The version-2 marker after the cookie.
const V2: [u8; 4] = [0xff, 0x00, 0x00, 0x01];

impl Structure {
    pub(super) fn decode(b: &[u8]) -> Option<Structure> {
        let v2 = b.get(4..8) == Some(&V2[..]);
        let mut at = if v2 { 8 } else { 4 };
        let head = b.get(..at)?.to_vec();
        let levels = usize::try_from(varint(b, &mut at)?).ok()?;
        let total = varint(b, &mut at)?;
        let write_counter = varint(b, &mut at)?;
        let fields = if v2 { 8 } else { 3 };
        let mut out = Vec::with_capacity(levels.min(MAX_LEVELS));
        for _ in 0..levels {
            let merging = varint(b, &mut at)?;
            let count = varint(b, &mut at)?;
            let segments = (0..count)
                .map(|_| (0..fields).map(|_| varint(b, &mut at)).collect::<Option<Vec<u64>>>())
                .collect::<Option<Vec<_>>>()?;
            out.push(Level { merging, segments });
        }
        let structure = Structure {
            head,
            write_counter,
            levels: out,
        };
        // Anything this reading does not account for: leave it alone.
        (at == b.len() && structure.segment_count() == total).then_some(structure)
    }

    pub(super) fn encode(&self) -> Vec<u8> {
        let mut out = self.head.clone();
        put_varint(&mut out, self.levels.len() as u64);
        put_varint(&mut out, self.segment_count());
        put_varint(&mut out, self.write_counter);
        for level in &self.levels {
            put_varint(&mut out, level.merging);
            put_varint(&mut out, level.segments.len() as u64);
            for field in level.segments.iter().flatten() {
                put_varint(&mut out, *field);
            }
        }
        out
    }

    fn segment_count(&self) -> u64 {
        self.levels.iter().map(|l| l.segments.len() as u64).sum()
    }

    /// The levels that hold segments.
    pub(super) fn populated(&self) -> Vec<usize> {
        (self.levels.iter().enumerate())
            .filter(|(_, l)| !l.segments.is_empty())
            .map(|(i, _)| i)
            .collect()
    }

    /// The structure with each populated level moved up to the level its
    /// largest segment calls for, above the level moved before it; `None`
    /// when nothing moves, a merge is in progress (its output must stay on
    /// the level after its inputs), or the levels would pass FTS5's limit.
    pub(super) fn settled(self) -> Option<Structure> {
        if self.levels.iter().any(|l| l.merging > 0) {
            return None;
        }
        let mut moved = Vec::new();
        let mut above = 0;
        for i in self.populated() {
            let largest = self.levels[i].segments.iter().map(|s| s[2] + 1 - s[1].min(s[2])).max();
            let to = i.max(level_for(largest.unwrap_or(1))).max(above);
            moved.push((i, to));
            above = to + 1;
        }
        if moved.iter().all(|(from, to)| from == to) || above > MAX_LEVELS {
            return None;
        }
        let mut levels = vec![
            Level {
                merging: 0,
                segments: Vec::new(),
            };
            self.levels.len().max(above)
        ];
        let mut old = self.levels;
        for (from, to) in moved {
            levels[to].segments = std::mem::take(&mut old[from].segments);
        }
        Some(Structure { levels, ..self })
    }
}

/// The level FTS5's merges bring a segment of `pages` pages to: each merge
/// joins four segments, so level L holds segments of about 4^L pages.
fn level_for(pages: u64) -> usize {
    (pages.max(1).ilog2() / 2) as usize
}

/// SQLite's varint (as `sqlite3Fts5GetVarint` reads it): big-endian groups
/// of 7 bits, the ninth byte whole.
fn varint(b: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for k in 0..9 {
        let c = *b.get(*at)?;
        *at += 1;
        if k == 8 {
            return Some((v << 8) | u64::from(c));
        }
        v = (v << 7) | u64::from(c & 0x7f);
        if c & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn put_varint(out: &mut Vec<u8>, v: u64) {
    if v >> 56 != 0 {
        let mut nine = [0u8; 9];
        nine[8] = v as u8;
        let mut rest = v >> 8;
        for byte in nine[..8].iter_mut().rev() {
            *byte = (rest as u8 & 0x7f) | 0x80;
            rest >>= 7;
        }
        out.extend_from_slice(&nine);
        return;
    }
    let mut groups = Vec::with_capacity(9);
    let mut rest = v;
    loop {
        groups.push((rest as u8 & 0x7f) | 0x80);
        rest >>= 7;
        if rest == 0 {
            break;
        }
    }
    groups[0] &= 0x7f;
    out.extend(groups.iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_back_as_written() {
        for v in [0, 1, 0x7f, 0x80, 300, 63_639, 1 << 35, (1 << 56) - 1, 1 << 56, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut at = 0;
            assert_eq!(varint(&out, &mut at), Some(v), "{v}");
            assert_eq!(at, out.len(), "{v}");
        }
        assert_eq!(level_for(1), 0);
        assert_eq!(level_for(4), 1);
        assert_eq!(level_for(63_639), 7);
    }

    /// A bulk segment beside small ones moves up with its level, the
    /// newer levels staying below it in their order.
    #[test]
    fn each_level_moves_up_to_its_largest_segment_s_level() {
        let seg = |id: u64, pages: u64| vec![id, 1, pages];
        let structure = Structure {
            head: vec![0, 0, 0, 2],
            write_counter: 9,
            levels: vec![
                Level {
                    merging: 0,
                    segments: vec![seg(1, 1), seg(2, 1)],
                },
                Level {
                    merging: 0,
                    segments: vec![seg(3, 63_639), seg(4, 2_687)],
                },
            ],
        };
        let settled = structure.clone().settled().unwrap();
        assert_eq!(settled.populated(), vec![0, 7]);
        assert_eq!(settled.levels[7].segments, structure.levels[1].segments);
        assert_eq!(Structure::decode(&settled.encode()), Some(settled.clone()));
        assert_eq!(settled.clone().settled(), None, "settled twice");
        let mut merging = structure;
        merging.levels[0].merging = 2;
        assert_eq!(merging.settled(), None);
    }
}
