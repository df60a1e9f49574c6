//! How printed documents write numbers: amounts in capital numerals
//! (人民币贰万元整), small counts in Chinese numerals (一式四份) and dates in
//! Chinese form (二〇二六年十一月二十九日). Pure functions.

use chrono::{Datelike, NaiveDate};

use super::Money;

/// Capital digits (大写), used for amounts because they cannot be altered.
const CAPITAL_DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const CAPITAL_UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
/// Ordinary digits (小写), for counts and dates.
const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const UNITS: [&str; 4] = ["", "十", "百", "千"];

/// An amount as a finance office writes it: `人民币壹仟叁佰陆拾壹元伍角`,
/// `人民币贰万元整`, `人民币壹拾万零壹拾元整`, `人民币伍分`, `人民币零元整`.
/// 整 closes an amount of whole yuan; 零 stands for a gap of zeros between
/// written digits, and for a missing 角 before 分.
pub fn capital_amount(amount: Money) -> String {
    let fen = amount.fen().max(0) as u64;
    let (yuan, jiao, fen) = (fen / 100, (fen / 10 % 10) as usize, (fen % 10) as usize);
    let mut out = String::from("人民币");
    if yuan > 0 {
        out.push_str(&integer(yuan, &CAPITAL_DIGITS, &CAPITAL_UNITS));
        out.push('元');
    }
    match (jiao, fen) {
        (0, 0) if yuan == 0 => out.push_str("零元整"),
        (0, 0) => out.push('整'),
        _ => {
            if jiao > 0 {
                out.push(CAPITAL_DIGITS[jiao]);
                out.push('角');
            } else if yuan > 0 {
                out.push('零');
            }
            if fen > 0 {
                out.push(CAPITAL_DIGITS[fen]);
                out.push('分');
            }
        }
    }
    out
}

/// A count in Chinese numerals: 四, 十, 十二, 二十一, 一百零一.
pub fn chinese_count(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let written = integer(n, &DIGITS, &UNITS);
    // A leading 一十 is said 十: 十一, 十万, not 一十一, 一十万.
    match written.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => written,
    }
}

/// A date as documents write it: 二〇二六年十一月二十九日.
pub fn chinese_date(d: NaiveDate) -> String {
    let year: String = d
        .year()
        .to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(0) => '〇',
            Some(n) => DIGITS[n as usize],
            None => c,
        })
        .collect();
    format!(
        "{year}年{}月{}日",
        chinese_count(u64::from(d.month())),
        chinese_count(u64::from(d.day()))
    )
}

/// A positive whole number in the given digits, grouped by 万 and 亿, with
/// 零 for each run of zeros between written digits. Zeros at the end of a
/// group that has digits are not spoken (壹拾万壹仟); a whole group of zeros
/// or leading zeros of a group are (壹亿零壹仟, 壹佰万零壹佰).
fn integer(n: u64, digits: &[char; 10], units: &[&str; 4]) -> String {
    let written: Vec<usize> = n.to_string().bytes().map(|b| usize::from(b - b'0')).collect();
    let top = written.len() - 1;
    let mut out = String::new();
    let mut zero_pending = false;
    let mut group_has = false;
    let mut above_yi = false;
    for (i, &d) in written.iter().enumerate() {
        let place = top - i;
        if d == 0 {
            zero_pending = !out.is_empty();
        } else {
            if zero_pending {
                out.push(digits[0]);
                zero_pending = false;
            }
            out.push(digits[d]);
            out.push_str(units[place % 4]);
            group_has = true;
            above_yi |= place >= 8;
        }
        if place.is_multiple_of(4) && place > 0 {
            let group = match place / 4 {
                2 => above_yi.then_some("亿"),
                _ => group_has.then_some("万"),
            };
            if let Some(unit) = group {
                out.push_str(unit);
            }
            if group_has {
                // Trailing zeros of a written group are not spoken.
                zero_pending = false;
            }
            group_has = false;
        }
    }
    out
}

#[cfg(test)]
mod tests;
