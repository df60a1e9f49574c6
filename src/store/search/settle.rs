//! Where a bulk load leaves FTS5's segments (SQLite).
//!
//! FTS5 keeps each index as segments on levels: every write adds a small
//! segment on level 0, and when a level holds four segments it merges them
//! into one on the next, a few pages per write. A segment on level L is
//! then about 4^L pages, and the work each write adds stays small.
//!
//! A bulk load (the demo, an import, a migration's rebuild) breaks that
//! shape: it writes the documents of thousands of cases as one segment of
//! level 0 (63,639 pages for a million cases). The web's next writes put
//! their one-page segments beside it, so the next merge of level 0 must
//! rewrite the whole bulk segment. Its few pages per write cannot finish
//! that before sixteen new segments pile up on the level, and then FTS5
//! merges the level at once ("crisis merge"): one registration held the
//! write lock for 3–12 s, and every write behind it waited (the soak's p99).
//!
//! [`settle`] moves every level up to the level its largest segment would
//! have reached by merges, keeping their order (older segments stay on
//! higher levels, as FTS5 needs), so a bulk segment is merged again only
//! after about as many writes as it has pages. Only the structure record
//! (row 10 of the index's `_data` table) changes: every segment, page and
//! document stays as it is, and FTS5's `integrity-check` passes after it.

use sqlx::{AssertSqlSafe, Connection, SqliteConnection};

use crate::store::Db;

/// FTS5's own limit on an index's levels (`FTS5_MAX_LEVEL`).
const MAX_LEVELS: usize = 64;

/// The structure record's id in an index's `_data` table.
const STRUCTURE_ROW: i64 = 10;

/// Moves the segments of both search indexes to the levels their sizes
/// call for (see the module's comment), on a connection of its own that
/// waits for the write lock. Every other connection reads the new
/// structure at its next transaction (FTS5 reloads it when another
/// connection changed the file). Returns how many indexes it changed;
/// nothing to do on PostgreSQL, or when an index is already in shape or
/// is in the middle of a merge.
///
/// Called after the writes it follows have committed: a failure (the lock
/// not had in time) is logged and changes nothing, and those writes stand.
pub async fn settle(pool: &Db) -> usize {
    let Db::Sqlite(p) = pool else {
        return 0;
    };
    let settled = match SqliteConnection::connect_with(&p.pool().connect_options()).await {
        Ok(mut conn) => {
            let settled = settle_on(&mut conn).await;
            let _ = conn.close().await;
            settled
        }
        Err(e) => Err(e),
    };
    settled.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "search index segments left where they were");
        0
    })
}

async fn settle_on(conn: &mut SqliteConnection) -> Result<usize, sqlx::Error> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let mut changed = 0;
    for table in super::index::FTS_TABLES {
        // Fixed SQL: the names of our own tables.
        let read = format!("SELECT block FROM {table}_data WHERE id = ?");
        let block: Option<Vec<u8>> = sqlx::query_scalar(AssertSqlSafe(read))
            .bind(STRUCTURE_ROW)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(settled) = block
            .as_deref()
            .and_then(Structure::decode)
            .and_then(Structure::settled)
        else {
            continue;
        };
        let write = format!("UPDATE {table}_data SET block = ? WHERE id = ?");
        sqlx::query(AssertSqlSafe(write))
            .bind(settled.encode())
            .bind(STRUCTURE_ROW)
            .execute(&mut *tx)
            .await?;
        tracing::info!(table, levels = ?settled.populated(), "search index segments settled");
        changed += 1;
    }
    tx.commit().await?;
    Ok(changed)
}

/// An FTS5 structure record, as `fts5StructureDecode` reads it: a cookie
/// (and, for `contentless_delete` indexes, the version-2 marker), the
/// number of levels and segments, the write counter, then each level's
/// merge in progress and its segments, oldest first.
#[derive(Debug, Clone, PartialEq)]
struct Structure {
    head: Vec<u8>,
    write_counter: u64,
    levels: Vec<Level>,
}

#[derive(Debug, Clone, PartialEq)]
struct Level {
    /// Segments (from the first) that are inputs to a merge in progress.
    merging: u64,
    /// Each segment's fields: id, first and last page, and in version 2
    /// its origins, tombstone pages and entries, kept as read.
    segments: Vec<Vec<u64>>,
}

/// The version-2 marker after the cookie.
const V2: [u8; 4] = [0xff, 0x00, 0x00, 0x01];

impl Structure {
    fn decode(b: &[u8]) -> Option<Structure> {
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

    fn encode(&self) -> Vec<u8> {
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
    fn populated(&self) -> Vec<usize> {
        (self.levels.iter().enumerate())
            .filter(|(_, l)| !l.segments.is_empty())
            .map(|(i, _)| i)
            .collect()
    }

    /// The structure with each populated level moved up to the level its
    /// largest segment calls for, above the level moved before it; `None`
    /// when nothing moves, a merge is in progress (its output must stay on
    /// the level after its inputs), or the levels would pass FTS5's limit.
    fn settled(self) -> Option<Structure> {
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
    use crate::domain::{Durability, PartyRole};
    use crate::store::orgs::Committee;

    async fn structure(conn: &mut SqliteConnection, table: &str) -> Structure {
        let read = format!("SELECT block FROM {table}_data WHERE id = 10");
        let block: Vec<u8> = sqlx::query_scalar(AssertSqlSafe(read)).fetch_one(conn).await.unwrap();
        Structure::decode(&block).unwrap()
    }

    /// The ids of the segments on an index's highest populated level.
    fn oldest(s: &Structure) -> Vec<u64> {
        let top = *s.populated().last().unwrap();
        s.levels[top].segments.iter().map(|seg| seg[0]).collect()
    }

    /// After a demo load its bulk segments sit on the levels their sizes
    /// call for, and the registrations after it leave them alone (before,
    /// the sixteenth made FTS5 merge them all again, at once); the indexes
    /// pass FTS5's integrity check, find the new cases, and find an edited
    /// demo case by its new words and no longer by its old ones.
    #[tokio::test]
    async fn the_writes_after_a_bulk_load_leave_its_segments_alone() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("settle.db")).await.unwrap();
        let committee = Committee::first("物调");
        let options = crate::demo::Options {
            cases: Some(3000),
            seed: 7,
            force: false,
            durability: Durability::Full,
        };
        crate::demo::load(&pool, &committee, &options).await.unwrap();
        let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
        let mut bulk = Vec::new();
        for table in super::super::index::FTS_TABLES {
            let s = structure(&mut conn, table).await;
            assert!(s.populated()[0] > 1, "{table}: {:?}", s.populated());
            bulk.push(oldest(&s));
        }
        drop(conn);
        let mediator = crate::store::mediators::insert(&pool, crate::store::orgs::FIRST_COMMITTEE, "王调解", "", true)
            .await
            .unwrap();
        for n in 0..40 {
            let input = super::super::index::tests::case(
                &format!("测试小区{n:02}号院"),
                "漏水",
                &[(PartyRole::Applicant, "张伟")],
                mediator,
            );
            crate::store::cases::create(&pool, &input, &committee, None)
                .await
                .unwrap();
        }
        // A demo case's documents, in a moved segment, replaced by an edit.
        let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
        let old: String = sqlx::query_scalar("SELECT project FROM cases WHERE id = 1")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let found = async |conn: &mut SqliteConnection, sql: &str, word: String| -> Vec<i64> {
            sqlx::query_scalar(AssertSqlSafe(sql.to_string()))
                .bind(word)
                .fetch_all(conn)
                .await
                .unwrap()
        };
        let search = "SELECT rowid FROM case_search WHERE case_search MATCH ?";
        let by_old = found(
            &mut conn,
            &format!("{search} AND rowid = 1"),
            super::super::phrase(&old),
        )
        .await;
        assert_eq!(by_old, [1], "{old}");
        drop(conn);
        let edit =
            super::super::index::tests::case("翡翠湾测试苑", "漏水", &[(PartyRole::Applicant, "欧阳")], mediator);
        assert!(crate::store::cases::update(&pool, 1, &edit, None).await.unwrap());
        let mut conn = pool.sqlite().unwrap().acquire().await.unwrap();
        assert_eq!(
            found(&mut conn, search, super::super::phrase("翡翠湾测试苑")).await,
            [1]
        );
        let grams = "SELECT rowid FROM case_grams WHERE case_grams MATCH ?";
        let by_name = found(
            &mut conn,
            grams,
            super::super::phrase(&super::super::gram_token("欧阳")),
        )
        .await;
        assert!(by_name.contains(&1), "{by_name:?}");
        let by_old = found(
            &mut conn,
            &format!("{search} AND rowid = 1"),
            super::super::phrase(&old),
        )
        .await;
        assert!(by_old.is_empty(), "{old}");
        for (table, bulk) in super::super::index::FTS_TABLES.into_iter().zip(bulk) {
            assert_eq!(oldest(&structure(&mut conn, table).await), bulk, "{table}");
            let check = format!("INSERT INTO {table} ({table}) VALUES ('integrity-check')");
            sqlx::query(AssertSqlSafe(check)).execute(&mut *conn).await.unwrap();
        }
        let found: i64 = sqlx::query_scalar("SELECT count(*) FROM case_search WHERE case_search MATCH '\"测试小区\"'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(found, 40);
    }

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
