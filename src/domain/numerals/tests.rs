use chrono::NaiveDate;

use super::*;

/// The capital form of an amount written in figures with two decimals
/// (read here as fen, so amounts past the form's limit can be tried).
fn cap(yuan: &str) -> String {
    capital_amount(Money::from_fen(yuan.replace('.', "").parse().unwrap()))
}

#[test]
fn whole_yuan_end_in_zheng() {
    assert_eq!(cap("20000.00"), "人民币贰万元整");
    assert_eq!(cap("1.00"), "人民币壹元整");
    assert_eq!(cap("10.00"), "人民币壹拾元整");
    assert_eq!(cap("100.00"), "人民币壹佰元整");
    assert_eq!(cap("1361000.00"), "人民币壹佰叁拾陆万壹仟元整");
}

#[test]
fn zero_is_zero_yuan() {
    assert_eq!(cap("0.00"), "人民币零元整");
}

#[test]
fn jiao_and_fen() {
    assert_eq!(cap("1361.50"), "人民币壹仟叁佰陆拾壹元伍角");
    assert_eq!(cap("1361.55"), "人民币壹仟叁佰陆拾壹元伍角伍分");
    assert_eq!(cap("1.05"), "人民币壹元零伍分");
    assert_eq!(cap("0.05"), "人民币伍分");
    assert_eq!(cap("0.50"), "人民币伍角");
    assert_eq!(cap("0.55"), "人民币伍角伍分");
    assert_eq!(cap("10.50"), "人民币壹拾元伍角");
}

#[test]
fn zeros_between_digits_are_one_ling() {
    assert_eq!(cap("100010.00"), "人民币壹拾万零壹拾元整");
    assert_eq!(cap("1001.00"), "人民币壹仟零壹元整");
    assert_eq!(cap("1010.00"), "人民币壹仟零壹拾元整");
    assert_eq!(cap("101000.00"), "人民币壹拾万壹仟元整");
    assert_eq!(cap("1000100.00"), "人民币壹佰万零壹佰元整");
    assert_eq!(cap("10000.00"), "人民币壹万元整");
    assert_eq!(cap("10001.00"), "人民币壹万零壹元整");
}

#[test]
fn yi_and_above() {
    assert_eq!(cap("1000000000.01"), "人民币壹拾亿元零壹分");
    assert_eq!(cap("100000000.00"), "人民币壹亿元整");
    assert_eq!(cap("100001000.00"), "人民币壹亿零壹仟元整");
    assert_eq!(cap("110000000.00"), "人民币壹亿壹仟万元整");
    assert_eq!(cap("100100000.00"), "人民币壹亿零壹拾万元整");
    assert_eq!(cap("1000000000000.00"), "人民币壹万亿元整");
    assert_eq!(cap("1000000000001.00"), "人民币壹万亿零壹元整");
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
