//! The committees of a demo with `--committees N`: one per district of
//! Beijing and Shanghai (GB/T 2260 codes), then a second round of each
//! with an ordinal, as many as asked; each with its own case prefix.

/// (district, its GB/T 2260 code).
const DISTRICTS: &[(&str, &str)] = &[
    ("东城区", "110101"),
    ("西城区", "110102"),
    ("朝阳区", "110105"),
    ("丰台区", "110106"),
    ("石景山区", "110107"),
    ("海淀区", "110108"),
    ("门头沟区", "110109"),
    ("房山区", "110111"),
    ("通州区", "110112"),
    ("顺义区", "110113"),
    ("昌平区", "110114"),
    ("大兴区", "110115"),
    ("怀柔区", "110116"),
    ("平谷区", "110117"),
    ("密云区", "110118"),
    ("延庆区", "110119"),
    ("黄浦区", "310101"),
    ("徐汇区", "310104"),
    ("长宁区", "310105"),
    ("静安区", "310106"),
    ("普陀区", "310107"),
    ("虹口区", "310109"),
    ("杨浦区", "310110"),
    ("闵行区", "310112"),
    ("宝山区", "310113"),
    ("嘉定区", "310114"),
    ("浦东新区", "310115"),
    ("金山区", "310116"),
    ("松江区", "310117"),
    ("青浦区", "310118"),
    ("奉贤区", "310120"),
    ("崇明区", "310151"),
];

/// A demo committee to create (or find again, by its prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCommittee {
    pub name: String,
    pub region_code: &'static str,
    /// Unique among committees: `朝阳物调`, then `朝阳物调二` ...
    pub prefix: String,
}

/// A small ordinal in Chinese numerals (二 ... 九十九): prefixes carry no
/// digits (`domain::org::CasePrefix`).
fn ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match (n / 10, n % 10) {
        (0, u) => DIGITS[u].to_string(),
        (1, u) => format!("十{}", DIGITS[u]),
        (t, u) => format!("{}十{}", DIGITS[t % 10], DIGITS[u]),
    }
}

/// The `i`th demo committee (from 0).
pub fn nth(i: usize) -> DemoCommittee {
    let (district, region_code) = DISTRICTS[i % DISTRICTS.len()];
    let round = i / DISTRICTS.len() + 1;
    let short = district.strip_suffix('区').unwrap_or(district);
    let (name_tail, prefix_tail) = if round == 1 {
        (String::new(), String::new())
    } else {
        (format!("第{}", ordinal(round)), ordinal(round))
    };
    DemoCommittee {
        name: format!("{district}{name_tail}物业纠纷人民调解委员会"),
        region_code,
        prefix: format!("{short}物调{prefix_tail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::org::{CasePrefix, RegionCode};

    #[test]
    fn three_hundred_committees_have_distinct_valid_prefixes_and_names() {
        let all: Vec<DemoCommittee> = (0..300).map(nth).collect();
        let mut prefixes: Vec<&str> = all.iter().map(|c| c.prefix.as_str()).collect();
        prefixes.sort();
        prefixes.dedup();
        assert_eq!(prefixes.len(), 300);
        for c in &all {
            assert!(CasePrefix::parse(&c.prefix).is_ok(), "{}", c.prefix);
            assert!(RegionCode::parse(c.region_code).is_ok(), "{}", c.region_code);
        }
        assert_eq!(all[2].name, "朝阳区物业纠纷人民调解委员会");
        assert_eq!(all[2].prefix, "朝阳物调");
        assert_eq!(all[34].prefix, "朝阳物调二");
        assert_eq!(all[34].name, "朝阳区第二物业纠纷人民调解委员会");
    }
}
