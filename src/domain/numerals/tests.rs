use chrono::NaiveDate;

use super::*;

fn cap(yuan_fen: i64) -> String {
    capital_amount(Money::from_fen(yuan_fen))
}

#[test]
fn whole_yuan_end_in_zheng() {
    assert_eq!(cap(20_000_00), "人民币贰万元整");
    assert_eq!(cap(1_00), "人民币壹元整");
    assert_eq!(cap(10_00), "人民币壹拾元整");
    assert_eq!(cap(100_00), "人民币壹佰元整");
    assert_eq!(cap(1_361_000_00), "人民币壹佰叁拾陆万壹仟元整");
}

#[test]
fn zero_is_zero_yuan() {
    assert_eq!(cap(0), "人民币零元整");
}

#[test]
fn jiao_and_fen() {
    assert_eq!(cap(1_361_50), "人民币壹仟叁佰陆拾壹元伍角");
    assert_eq!(cap(1_361_55), "人民币壹仟叁佰陆拾壹元伍角伍分");
    assert_eq!(cap(1_05), "人民币壹元零伍分");
    assert_eq!(cap(5), "人民币伍分");
    assert_eq!(cap(50), "人民币伍角");
    assert_eq!(cap(55), "人民币伍角伍分");
    assert_eq!(cap(10_50), "人民币壹拾元伍角");
}

#[test]
fn zeros_between_digits_are_one_ling() {
    assert_eq!(cap(100_010_00), "人民币壹拾万零壹拾元整");
    assert_eq!(cap(1_001_00), "人民币壹仟零壹元整");
    assert_eq!(cap(1_010_00), "人民币壹仟零壹拾元整");
    assert_eq!(cap(101_000_00), "人民币壹拾万壹仟元整");
    assert_eq!(cap(1_000_100_00), "人民币壹佰万零壹佰元整");
    assert_eq!(cap(10_000_00), "人民币壹万元整");
    assert_eq!(cap(10_001_00), "人民币壹万零壹元整");
}

#[test]
fn yi_and_above() {
    assert_eq!(cap(1_000_000_000_01), "人民币壹拾亿元零壹分");
    assert_eq!(cap(100_000_000_00), "人民币壹亿元整");
    assert_eq!(cap(100_001_000_00), "人民币壹亿零壹仟元整");
    assert_eq!(cap(110_000_000_00), "人民币壹亿壹仟万元整");
    assert_eq!(cap(100_100_000_00), "人民币壹亿零壹拾万元整");
    assert_eq!(cap(1_000_000_000_000_00), "人民币壹万亿元整");
    assert_eq!(cap(1_000_000_000_001_00), "人民币壹万亿零壹元整");
}

#[test]
fn counts_in_chinese() {
    let cases = [
        (0, "零"),
        (1, "一"),
        (4, "四"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1000, "一千"),
        (10_000, "一万"),
        (100_010, "十万零一十"),
    ];
    for (n, want) in cases {
        assert_eq!(chinese_count(n), want, "{n}");
    }
}

#[test]
fn dates_in_chinese() {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(chinese_date(d(2026, 11, 29)), "二〇二六年十一月二十九日");
    assert_eq!(chinese_date(d(2000, 1, 1)), "二〇〇〇年一月一日");
    assert_eq!(chinese_date(d(2019, 10, 10)), "二〇一九年十月十日");
    assert_eq!(chinese_date(d(2024, 2, 20)), "二〇二四年二月二十日");
    assert_eq!(chinese_date(d(2031, 12, 31)), "二〇三一年十二月三十一日");
}
