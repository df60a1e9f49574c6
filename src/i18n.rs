//! The message catalogue: every string a person sees, in Simplified Chinese
//! and English. Views name messages by key (`Msg::NavCases`); a missing
//! translation is a compile error, not a blank on the page.

use serde::{Deserialize, Serialize};

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" | "zh-Hans" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The value of `<html lang>`.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// Picks a reference-list label.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }
}

macro_rules! catalogue {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A message key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key,)* }

        impl Msg {
            /// Every message, for the catalogue's own tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Zh) => $zh, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

catalogue! {
    AppName => "Accord 物业纠纷调解案件管理", "Accord mediation case tracker";
    AppShort => "Accord", "Accord";
    // Navigation
    NavCases => "案件", "Cases";
    NavNewCase => "登记案件", "New case";
    NavMyWork => "我的待办", "My work";
    NavDashboard => "统计", "Dashboard";
    NavMediators => "调解员", "Mediators";
    NavUsers => "用户", "Users";
    NavReference => "基础数据", "Reference lists";
    NavAudit => "审计日志", "Audit log";
    NavImport => "导入", "Import";
    NavBackup => "备份", "Backup";
    NavLogout => "退出", "Sign out";
    SwitchLanguage => "English", "中文";
    SkipToContent => "跳到正文", "Skip to content";
    SignedInAs => "当前用户", "Signed in as";
    // Sign-in
    LoginTitle => "登录", "Sign in";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    LoginButton => "登录", "Sign in";
    LoginFailed => "用户名或密码不正确。", "Wrong username or password.";
    LoginThrottled => "登录失败次数过多,请15分钟后再试。", "Too many failed sign-ins. Please try again in 15 minutes.";
    // Errors
    ErrorTitle => "出错了", "Something went wrong";
    ErrorNotFound => "找不到该页面或案件。", "That page or case does not exist.";
    ErrorForbidden => "您没有权限执行此操作。", "You are not allowed to do that.";
    ErrorCsrf => "表单已过期或来源无效,请返回刷新页面后重试。", "This form has expired or did not come from Accord. Go back, reload the page and try again.";
    ErrorInternal => "服务器内部错误,已记录。请稍后再试。", "An internal error occurred and has been logged. Please try again later.";
    ErrorBadRequest => "请求无效。", "The request was not valid.";
    ErrorTooLarge => "提交的内容过大。", "The submission is too large.";
    ErrorConflict => "数据已被他人修改,请刷新后重试。", "Someone else changed this record. Reload and try again.";
    BackToCases => "返回案件列表", "Back to cases";
    FormHasErrors => "表单有错误,请按提示修改。没有保存任何内容。", "The form has errors; nothing was saved. Please correct the fields marked below.";
    // Field problems
    ProblemRequired => "必填。", "Required.";
    ProblemNotANumber => "不是有效金额,例如 1234.50、1,234.50、¥800 或 1.5万。", "Not an amount; write e.g. 1234.50, 1,234.50, ¥800 or 1.5万.";
    ProblemNegative => "金额不能为负数。", "The amount cannot be negative.";
    ProblemTooManyDecimals => "金额最多两位小数(精确到分)。", "At most two decimals (to the fen).";
    ProblemTooLarge => "金额超过十亿元,请核对。", "Over 1,000,000,000 yuan; please check.";
    ProblemNotADate => "不是有效日期,例如 2023-09-21、2023/9/21 或 2023年9月21日。", "Not a date; write e.g. 2023-09-21, 2023/9/21 or 2023年9月21日.";
    ProblemDateOutOfRange => "日期超出合理范围(1990–2100年)。", "The date is out of range (1990–2100).";
    ProblemDateInFuture => "日期不能晚于今天。", "The date cannot be after today.";
    ProblemBadPhone => "不是有效的手机或固定电话号码。", "Not a mainland mobile or landline number.";
    ProblemTooLong => "内容过长。", "Too long.";
    ProblemUnknownCode => "不是可选的值。", "Not one of the choices.";
    ProblemNeedApplicant => "至少填写一名申请人。", "Enter at least one applicant.";
    ProblemNeedRespondent => "至少填写一名被申请人。", "Enter at least one respondent.";
    ProblemNeedMediator => "至少选择一名调解员。", "Choose at least one mediator.";
    ProblemUnknownMediator => "调解员不存在或已停用。", "No such active mediator.";
    ProblemDuplicate => "已存在。", "Already exists.";
    // Case fields
    FieldCaseNo => "案件编号", "Case no.";
    FieldReceivedOn => "登记日期", "Received on";
    FieldAcceptedOn => "受理日期", "Accepted on";
    FieldSource => "案件来源", "Source";
    FieldCategory => "纠纷类型", "Category";
    FieldProject => "项目/小区", "Project / estate";
    FieldDistrict => "区县", "District";
    FieldSummary => "纠纷概要", "Summary";
    FieldAmountClaimed => "涉及金额(元)", "Amount claimed (yuan)";
    FieldStatus => "状态", "Status";
    FieldApplicants => "申请人", "Applicants";
    FieldRespondents => "被申请人", "Respondents";
    FieldMediators => "调解员", "Mediators";
    FieldPartyType => "类型", "Type";
    FieldName => "姓名/名称", "Name";
    FieldPhone => "电话", "Phone";
    FieldClosedOn => "结案日期", "Closed on";
    FieldCreatedBy => "登记人", "Registered by";
    FieldActive => "在任", "Active";
    HintAmount => "可写 1234.50、1,234.50、¥800 或 1.5万;无金额可留空。", "e.g. 1234.50, 1,234.50, ¥800 or 1.5万; leave blank if none.";
    HintDate => "如 2023-09-21、2023/9/21、2023年9月21日", "e.g. 2023-09-21, 2023/9/21, 2023年9月21日";
    HintParties => "空行将被忽略。", "Blank rows are ignored.";
    ChooseOne => "请选择", "Choose…";
    // Statuses
    StatusRegistered => "已登记", "Registered";
    StatusInMediation => "调解中", "In mediation";
    StatusSettled => "调解成功", "Settled";
    StatusFailed => "调解不成", "Failed";
    StatusWithdrawn => "撤回", "Withdrawn";
    StatusDeclined => "不予受理", "Declined";
    // Case pages
    CasesTitle => "案件列表", "Cases";
    NewCaseTitle => "登记新案件", "Register a case";
    EditCaseTitle => "修改案件", "Edit case";
    SaveCase => "保存", "Save";
    Cancel => "取消", "Cancel";
    Edit => "修改", "Edit";
    CaseCreated => "案件已登记。", "The case has been registered.";
    CaseSaved => "案件已保存。", "The case has been saved.";
    CaseDetails => "案件信息", "Case details";
    Parties => "当事人", "Parties";
    NoPhone => "—", "—";
    // List and filters
    Filter => "筛选", "Filter";
    ClearFilters => "清除筛选", "Clear filters";
    SearchPlaceholder => "案件编号、项目、当事人或概要", "Case no., project, party or summary";
    Search => "搜索", "Search";
    AllOption => "全部", "All";
    DateFrom => "登记日期自", "Received from";
    DateTo => "至", "to";
    NoCases => "没有符合条件的案件。", "No cases match.";
    CasesFound => "条结果", "cases";
    PreviousPage => "上一页", "Previous";
    NextPage => "下一页", "Next";
    PageOf => "页", "page";
    ExportCsv => "导出 CSV", "Export CSV";
    // Mediators
    MediatorsTitle => "调解员", "Mediators";
    AddMediator => "添加调解员", "Add mediator";
    EditMediator => "修改调解员", "Edit mediator";
    MediatorSaved => "调解员已保存。", "The mediator has been saved.";
    NoMediators => "还没有调解员。", "No mediators yet.";
    Yes => "是", "Yes";
    No => "否", "No";
    Save => "保存", "Save";
    Actions => "操作", "Actions";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            assert!(!msg.text(Lang::Zh).is_empty(), "{msg:?} zh");
            assert!(!msg.text(Lang::En).is_empty(), "{msg:?} en");
        }
    }
}
