//! Statistics packets up the hierarchy (issue 16): one committee's figures
//! for a period, as its summary rows (cases and sums by category, source,
//! district and status, for each month and each day) and its lines of the
//! official report (by month, national type and source group), and nothing else:
//! no case, no name, no number that leads to a person. A packet is signed
//! with a key the sending and the receiving installation share
//! (HMAC-SHA256), so a figure changed on the way is refused.
//!
//! The signature covers the packet as this module writes it with an empty
//! `signature`: a reader parses the packet into these types (refusing
//! unknown fields) and writes it again, so spacing and key order do not
//! matter, and any changed value does.

use chrono::NaiveDate;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Money;
use super::official::{Figures, NationalType, OfficialPeriod, OfficialPeriodError, SourceGroup};

/// What a packet says it is.
pub const FORMAT: &str = "accord-statistics-packet";
/// The version this code writes and reads.
pub const VERSION: u32 = 1;
/// The shortest shared key taken, in bytes.
pub const KEY_MIN: usize = 32;
/// The most rows a packet may carry (a year of days of every code is far less).
pub const ROWS_MAX: usize = 200_000;
/// The longest code or name taken, in characters.
const TEXT_MAX: usize = 200;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// A committee's figures for a period, signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Packet {
    /// Always `accord-statistics-packet`.
    #[schema(example = "accord-statistics-packet")]
    pub format: String,
    /// Always 1.
    #[schema(example = 1)]
    pub version: u32,
    /// A month (`2026-07`), a quarter (`2026-Q3`) or a year (`2026`).
    #[schema(example = "2026-Q3")]
    pub period: String,
    /// The committee the figures are of.
    pub committee: Sender,
    /// When the packet was written, RFC 3339.
    #[schema(example = "2026-10-05T08:00:00Z")]
    pub created_at: String,
    /// The rows of the period's months, `at` the month (`2026-07`).
    pub months: Vec<PacketRow>,
    /// The rows of the period's days, `at` the day (`2026-07-01`).
    pub days: Vec<PacketRow>,
    /// The committee's lines of the official report, by month of acceptance.
    pub official: Vec<OfficialRow>,
    /// HMAC-SHA256 of the packet with this field empty, in lowercase hex.
    pub signature: String,
}

/// The committee a packet is of, as the sending installation knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    /// The committee's id at the sender: with the account that sends it,
    /// what tells a later packet of the same committee.
    #[schema(example = 2)]
    pub id: i64,
    #[schema(example = "朝阳区物业纠纷人民调解委员会")]
    pub name: String,
    /// GB/T 2260 region code, when the sender has one.
    #[schema(example = "110105")]
    pub region_code: Option<String>,
}

/// One row of the summary: the cases of one code of one dimension, with
/// one status, received or accepted in one month or day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PacketRow {
    /// `all`, `category`, `source` or `district`.
    #[schema(example = "category")]
    pub dim: String,
    /// The code of the dimension (DOMAIN.md); empty for `all`.
    #[schema(example = "fees")]
    pub code: String,
    #[schema(example = "2026-07")]
    pub at: String,
    /// A status code; never `voided`.
    #[schema(example = "settled")]
    pub status: String,
    /// Cases received.
    pub received: i64,
    /// Their claimed amounts, yuan with two decimals.
    #[schema(example = "12800.00")]
    pub claimed: String,
    /// Cases accepted.
    pub accepted: i64,
    /// Their agreed amounts, yuan with two decimals.
    #[schema(example = "8000.00")]
    pub agreed: String,
    /// Accepted cases closed.
    pub closed: i64,
    /// Days from acceptance to closing, added up.
    pub close_days: i64,
    /// Agreements fulfilled.
    pub fulfilled: i64,
}

/// One line of the official report (`domain::official`): the cases of one
/// national type and source group accepted in one month, as the sender
/// mapped its categories and sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficialRow {
    #[schema(example = "2026-07")]
    pub month: String,
    /// A type of the national list, e.g. `property`.
    #[schema(example = "property")]
    pub national_type: String,
    /// `initiative`, `application` or `referral`.
    #[schema(example = "application")]
    pub source_group: String,
    pub accepted: i64,
    pub settled: i64,
    pub in_mediation: i64,
    /// Yuan with two decimals.
    #[schema(example = "8000.00")]
    pub amount_agreed: String,
    pub people: i64,
    pub fulfilled: i64,
    pub crime_cases: i64,
    pub crime_people: i64,
    pub petition_cases: i64,
    pub petition_people: i64,
}

/// An official-report line as the store reads and writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialLine {
    /// `2026-07`.
    pub month: String,
    pub national_type: NationalType,
    pub source_group: SourceGroup,
    pub figures: Figures,
}

impl From<&OfficialLine> for OfficialRow {
    fn from(l: &OfficialLine) -> OfficialRow {
        let f = &l.figures;
        OfficialRow {
            month: l.month.clone(),
            national_type: l.national_type.code().into(),
            source_group: l.source_group.code().into(),
            accepted: f.accepted,
            settled: f.settled,
            in_mediation: f.in_mediation,
            amount_agreed: f.amount_agreed.plain(),
            people: f.people,
            fulfilled: f.fulfilled,
            crime_cases: f.crime_cases,
            crime_people: f.crime_people,
            petition_cases: f.petition_cases,
            petition_people: f.petition_people,
        }
    }
}

/// A summary row as the store reads and writes it: money in fen.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SummaryRow {
    pub dim: String,
    pub code: String,
    pub at: String,
    pub status: String,
    pub received: i64,
    pub claimed: i64,
    pub accepted: i64,
    pub agreed: i64,
    pub closed: i64,
    pub close_days: i64,
    pub fulfilled: i64,
}

impl From<&SummaryRow> for PacketRow {
    fn from(r: &SummaryRow) -> PacketRow {
        PacketRow {
            dim: r.dim.clone(),
            code: r.code.clone(),
            at: r.at.clone(),
            status: r.status.clone(),
            received: r.received,
            claimed: Money::from_fen(r.claimed).plain(),
            accepted: r.accepted,
            agreed: Money::from_fen(r.agreed).plain(),
            closed: r.closed,
            close_days: r.close_days,
            fulfilled: r.fulfilled,
        }
    }
}

/// Why a packet is refused. Nothing of it is kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    #[error("the shared key `rollup_key` is not set, or shorter than {KEY_MIN} bytes")]
    NoKey,
    #[error("this is not a statistics packet of version {VERSION}")]
    NotAPacket,
    #[error("the signature does not match: the packet was changed, or signed with another key")]
    BadSignature,
    #[error("bad period: {0}")]
    BadPeriod(OfficialPeriodError),
    #[error("the committee's {0} is missing or too long")]
    BadSender(&'static str),
    #[error("{grain} row {row}: {problem}")]
    BadRow {
        /// `month` or `day`: which list.
        grain: &'static str,
        /// Counted from 1.
        row: usize,
        problem: RowProblem,
    },
    #[error("a packet holds at most {ROWS_MAX} rows")]
    TooManyRows,
    #[error("created_at is not a time in RFC 3339")]
    BadCreatedAt,
    /// Found on keeping it, not on opening: a packet of the same committee
    /// made later has written one of the period's months already.
    #[error("a packet of this committee made later ({kept}) was received already")]
    Older { kept: String },
}

/// What is wrong with a row of a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RowProblem {
    #[error("unknown dimension")]
    Dimension,
    #[error("bad code")]
    Code,
    #[error("bad status")]
    Status,
    #[error("date outside the period")]
    OutsidePeriod,
    #[error("negative figure")]
    Negative,
    #[error("bad amount")]
    Amount,
    #[error("the same row twice")]
    Twice,
}

/// What a packet says, as sealed, or as checked on opening: signed with
/// the key, its rows within its period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub period: OfficialPeriod,
    pub committee: Sender,
    /// RFC 3339; on opening, in UTC to the microsecond, so that two
    /// packets' times compare as text.
    pub created_at: String,
    pub months: Vec<SummaryRow>,
    pub days: Vec<SummaryRow>,
    pub official: Vec<OfficialLine>,
}

fn mac(key: &str) -> Result<HmacSha256, PacketError> {
    if key.len() < KEY_MIN {
        return Err(PacketError::NoKey);
    }
    HmacSha256::new_from_slice(key.as_bytes()).map_err(|_| PacketError::NoKey)
}

/// The bytes the signature covers: the packet, its signature empty.
fn signed_bytes(packet: &Packet) -> Vec<u8> {
    let unsigned = Packet {
        signature: String::new(),
        ..packet.clone()
    };
    serde_json::to_vec(&unsigned).unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The packet of a committee's rows for a period, signed with `key`.
pub fn seal(key: &str, contents: &Contents) -> Result<Packet, PacketError> {
    let mut packet = Packet {
        format: FORMAT.into(),
        version: VERSION,
        period: contents.period.code(),
        committee: contents.committee.clone(),
        created_at: contents.created_at.clone(),
        months: contents.months.iter().map(PacketRow::from).collect(),
        days: contents.days.iter().map(PacketRow::from).collect(),
        official: contents.official.iter().map(OfficialRow::from).collect(),
        signature: String::new(),
    };
    let mut mac = mac(key)?;
    mac.update(&signed_bytes(&packet));
    packet.signature = hex(&mac.finalize().into_bytes());
    Ok(packet)
}

/// Checks a packet's signature with `key`, then every value: the period,
/// the committee, and each row (a known dimension, type or group, a status
/// that counts, a month or day inside the period, no negative figure,
/// amounts with two decimals).
pub fn open(key: &str, packet: &Packet) -> Result<Contents, PacketError> {
    let mut mac = mac(key)?;
    if packet.format != FORMAT || packet.version != VERSION {
        return Err(PacketError::NotAPacket);
    }
    mac.update(&signed_bytes(packet));
    let signature = unhex(&packet.signature).ok_or(PacketError::BadSignature)?;
    mac.verify_slice(&signature).map_err(|_| PacketError::BadSignature)?;
    let period = OfficialPeriod::parse(&packet.period).map_err(PacketError::BadPeriod)?;
    let c = &packet.committee;
    if c.name.trim().is_empty() || c.name.chars().count() > TEXT_MAX || c.name.chars().any(char::is_control) {
        return Err(PacketError::BadSender("name"));
    }
    if let Some(region) = &c.region_code
        && super::org::RegionCode::parse(region).is_err()
    {
        return Err(PacketError::BadSender("region code"));
    }
    if packet.months.len() + packet.days.len() + packet.official.len() > ROWS_MAX {
        return Err(PacketError::TooManyRows);
    }
    let (from, to) = period.bounds();
    let months = check::check_rows(&packet.months, "month", |at| {
        check::month_within(at, (from, to)).then_some(())
    })?;
    let days = check::check_rows(&packet.days, "day", |at| {
        let day = NaiveDate::parse_from_str(at, "%Y-%m-%d").ok()?;
        (at.len() == 10 && day >= from && day <= to).then_some(())
    })?;
    let official = check::check_official(&packet.official, (from, to))?;
    Ok(Contents {
        period,
        committee: c.clone(),
        created_at: check::created_utc(&packet.created_at).ok_or(PacketError::BadCreatedAt)?,
        months,
        days,
        official,
    })
}

mod check;
#[cfg(test)]
mod tests;
