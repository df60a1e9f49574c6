//! Residential estates in Beijing's sixteen districts, and how often each
//! district and kind of dispute turns up.

use rand::Rng;
use rand::rngs::StdRng;

/// (district code as in migration 0001, weight, estates). Weights follow
/// population: the big urban districts bring most disputes.
pub const DISTRICTS: &[(&str, u32, &[&str])] = &[
    (
        "dongcheng",
        5,
        &["东花市北里", "和平里小区", "安德里", "幸福家园", "青年湖小区"],
    ),
    (
        "xicheng",
        6,
        &["金融街公寓", "马连道小区", "广安门外南街", "西便门东里", "展览路小区"],
    ),
    (
        "chaoyang",
        18,
        &[
            "望京西园",
            "阳光花园小区",
            "团结湖北里",
            "朝阳公园南区",
            "双井富力城",
            "劲松小区",
            "北苑家园",
            "百子湾家园",
        ],
    ),
    (
        "haidian",
        14,
        &[
            "万柳书院",
            "世纪城小区",
            "双榆树北里",
            "清河小营",
            "田村山南区",
            "上地西里",
            "永定路小区",
        ],
    ),
    (
        "fengtai",
        10,
        &[
            "方庄芳星园",
            "科技园小区",
            "青塔小区",
            "马家堡嘉园",
            "丽泽雅园",
            "宋家庄家园",
        ],
    ),
    (
        "shijingshan",
        3,
        &["鲁谷小区", "八角北里", "古城南路小区", "苹果园小区"],
    ),
    ("mentougou", 2, &["龙泉花园", "永定楼小区", "滨河小区"]),
    ("fangshan", 5, &["长阳半岛", "良乡西潞园", "燕化星城", "拱辰花园"]),
    (
        "tongzhou",
        8,
        &[
            "运河明珠",
            "梨园云景里",
            "新华联家园",
            "通州北苑",
            "果园小区",
            "玉桥北里",
        ],
    ),
    ("shunyi", 5, &["后沙峪花园", "裕龙小区", "港馨家园", "石园北区"]),
    (
        "changping",
        10,
        &[
            "天通苑东区",
            "回龙观龙泽苑",
            "霍营华龙苑",
            "北七家名佳花园",
            "沙河于辛庄小区",
        ],
    ),
    (
        "daxing",
        8,
        &[
            "亦庄林肯公园",
            "黄村兴华园",
            "西红门宏福苑",
            "旧宫德茂小区",
            "观音寺小区",
        ],
    ),
    ("huairou", 2, &["青春路小区", "于家园小区", "富乐小区"]),
    ("pinggu", 1, &["府前街小区", "建设街小区"]),
    ("miyun", 2, &["檀城小区", "季庄小区", "果园小区"]),
    ("yanqing", 1, &["妫水北街小区", "庆园街小区"]),
];

/// (category code, weight): property fees are by far the most common.
pub const CATEGORIES: &[(&str, u32)] = &[
    ("fees", 35),
    ("service_quality", 12),
    ("parking", 10),
    ("repairs_leaks", 10),
    ("neighbour", 8),
    ("renovation", 6),
    ("common_revenue", 5),
    ("maintenance_fund", 4),
    ("handover", 3),
    ("owners_committee", 3),
    ("safety_loss", 3),
    ("other", 1),
];

/// (source code, weight).
pub const SOURCES: &[(&str, u32)] = &[
    ("party_application", 35),
    ("street_referral", 18),
    ("hotline_12345", 14),
    ("court_referral", 12),
    ("housing_authority", 8),
    ("committee_initiative", 7),
    ("police_referral", 3),
    ("other", 3),
];

/// Picks an index by weight.
pub fn weighted<T>(rng: &mut StdRng, items: &[T], weight: impl Fn(&T) -> u32) -> usize {
    let total: u32 = items.iter().map(&weight).sum();
    let mut pick = rng.gen_range(0..total);
    for (i, item) in items.iter().enumerate() {
        let w = weight(item);
        if pick < w {
            return i;
        }
        pick -= w;
    }
    items.len() - 1
}

/// A district and an estate in it, sometimes with a building number.
pub fn place(rng: &mut StdRng) -> (&'static str, String) {
    let (code, _, estates) = DISTRICTS[weighted(rng, DISTRICTS, |d| d.1)];
    let estate = estates[rng.gen_range(0..estates.len())];
    let project = if rng.gen_bool(0.5) {
        format!("{estate}{}号楼", rng.gen_range(1..=30))
    } else {
        estate.to_string()
    };
    (code, project)
}
