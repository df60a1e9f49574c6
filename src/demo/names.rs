//! Chinese names for synthetic parties, mediators and companies.

use rand::Rng;
use rand::rngs::StdRng;

/// Common surnames, most frequent first (王李张刘陈 cover about a third of China).
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆",
    "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
    "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武",
    "欧阳", "司马", "上官",
];

/// Characters of given names.
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英", "建华", "建国", "志强", "淑珍", "玉兰", "海燕", "丹", "萍", "鹏", "辉", "玲", "波", "斌", "宇",
    "浩", "凯", "秀兰", "晨", "欣", "婷", "雪", "琳", "俊", "帆", "倩", "宁", "佳", "子涵", "梓萱", "一诺", "思远",
    "文博", "雨桐", "振华", "国庆", "红梅", "春生", "秋菊", "德明", "卫东", "立新", "嘉怡",
];

/// Parts of property-service company names.
const COMPANY_HEADS: &[&str] = &[
    "京华",
    "首开",
    "金隅",
    "远洋",
    "万科",
    "保利",
    "华润",
    "中海",
    "龙湖",
    "碧桂园",
    "绿城",
    "招商",
    "天鸿",
    "城建",
    "住总",
    "鸿坤",
    "泰禾",
    "融创",
    "北辰",
    "燕莎",
    "海淀",
    "朝阳",
    "瑞安",
    "长城",
];

const COMPANY_TAILS: &[&str] = &[
    "物业服务有限公司",
    "物业管理有限公司",
    "物业服务集团有限公司",
    "物业管理服务有限公司",
];

/// A person's name: a surname and one or two given-name parts.
pub fn person(rng: &mut StdRng) -> String {
    // Skewed towards the common surnames, as in life.
    let i = (rng.gen_range(0.0f64..1.0).powi(2) * SURNAMES.len() as f64) as usize;
    let mut name = SURNAMES[i.min(SURNAMES.len() - 1)].to_string();
    name.push_str(GIVEN[rng.gen_range(0..GIVEN.len())]);
    if name.chars().count() == 2 && rng.gen_bool(0.4) {
        name.push_str(GIVEN[rng.gen_range(0..GIVEN.len())]);
    }
    name
}

/// A property-service company: `北京京华物业服务有限公司`.
pub fn company(rng: &mut StdRng) -> String {
    format!(
        "北京{}{}",
        COMPANY_HEADS[rng.gen_range(0..COMPANY_HEADS.len())],
        COMPANY_TAILS[rng.gen_range(0..COMPANY_TAILS.len())]
    )
}

/// A developer (建设单位).
pub fn developer(rng: &mut StdRng) -> String {
    format!(
        "北京{}房地产开发有限公司",
        COMPANY_HEADS[rng.gen_range(0..COMPANY_HEADS.len())]
    )
}

/// A mainland mobile number.
pub fn mobile(rng: &mut StdRng) -> String {
    let prefixes = [
        "138", "139", "136", "135", "150", "158", "186", "188", "177", "133", "189", "199",
    ];
    format!(
        "{}{:08}",
        prefixes[rng.gen_range(0..prefixes.len())],
        rng.gen_range(0..100_000_000u32)
    )
}

/// A Beijing landline.
pub fn landline(rng: &mut StdRng) -> String {
    format!("010-{}", rng.gen_range(60_000_000..89_999_999u32))
}
