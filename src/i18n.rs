//! The message catalogue: every string a person sees, in Simplified Chinese
//! and English. Views name messages by key (`Msg::NavCases`); a missing
//! translation is a compile error, not a blank on the page.

use serde::{Deserialize, Serialize};

use crate::domain::case::Problem;
use crate::domain::money::MoneyError;

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
    // == Roles, users, reference lists, audit (issue 4) ==
    RoleAdmin => "管理员", "Admin";
    RoleSecretary => "秘书", "Secretary";
    RoleMediator => "调解员", "Mediator";
    FieldRole => "角色", "Role";
    UsersTitle => "用户", "Users";
    AddUser => "添加用户", "Add user";
    EditUser => "修改用户", "Edit user";
    UserSaved => "用户已保存。", "The user has been saved.";
    UserActive => "启用(取消勾选即停用;停用的用户不能登录,其记录保留)", "Active (untick to disable: a disabled user cannot sign in; their history stays)";
    ResetPassword => "重置密码", "Reset password";
    PasswordReset => "密码已重置。", "The password has been reset.";
    HintPassword => "至少10个字符。", "At least 10 characters.";
    ProblemPasswordTooShort => "密码至少10个字符。", "The password needs at least 10 characters.";
    NewMediatorRecord => "新建同名调解员", "New mediator of the same name";
    HintMediatorLink => "仅对调解员角色有效。", "Used for mediator accounts only.";
    LastAdmin => "不能停用或降级最后一位在用的管理员。", "The last active admin cannot be disabled or demoted.";
    HintReference => "正在使用的代码不能删除,只能停用:停用后新案件不可选,旧案件和统计中保留。", "A code in use cannot be deleted, only retired: hidden from new cases, kept for old ones and reports.";
    FieldCode => "代码", "Code";
    PartyTypes => "当事人类型", "Party types";
    LabelZh => "中文名称", "Chinese label";
    LabelEn => "英文名称", "English label";
    InUse => "使用次数", "In use";
    Retired => "已停用", "Retired";
    Retire => "停用", "Retire";
    Restore => "恢复", "Restore";
    Rename => "改名", "Rename";
    Delete => "删除", "Delete";
    AddCode => "添加", "Add";
    ReferenceSaved => "基础数据已保存。", "The reference list has been saved.";
    ReferenceDeleted => "代码已删除。", "The code has been deleted.";
    CodeInUse => "该代码正在使用,不能删除,只能停用。", "This code is in use: it cannot be deleted, only retired.";
    ProblemBadCode => "代码只能用小写字母、数字和下划线。", "Codes use lower-case letters, digits and underscores only.";
    History => "变更记录", "History";
    ActionCreate => "创建", "created";
    ActionUpdate => "修改", "changed";
    ActionDelete => "删除", "deleted";
    ActionDisable => "停用", "disabled";
    Entity => "对象", "Entity";
    When => "时间", "When";
    Changes => "变更内容", "Changes";

    // Mediation workflow (issue 3): actions, closing, sessions, agreement, follow-up, deadlines, my work
    WfAccept => "受理", "Accept";
    WfDecline => "不予受理", "Decline";
    WfSettle => "调解成功结案", "Close as settled";
    WfFail => "调解不成结案", "Close as failed";
    WfWithdraw => "撤回结案", "Close as withdrawn";
    WfArchive => "归档", "Archive";
    WfSetFulfilment => "更新履行情况", "Update fulfilment";
    WfSetJudicial => "更新司法确认", "Update judicial confirmation";
    WfRecordSession => "记录调解", "Record a session";
    WfRecordVisit => "记录回访", "Record a return visit";
    WfAcceptTitle => "受理案件", "Accept the case";
    WfDeclineTitle => "不予受理", "Decline the case";
    WfSettleTitle => "结案:调解成功", "Close: settled";
    WfFailTitle => "结案:调解不成", "Close: mediation failed";
    WfWithdrawTitle => "结案:撤回", "Close: withdrawn";
    WfAccepted => "案件已受理。", "The case has been accepted.";
    WfDeclined => "已记录不予受理。", "The case has been declined.";
    WfClosed => "案件已结案。", "The case has been closed.";
    WfArchived => "案件已归档。", "The case has been archived.";
    WfFulfilmentSaved => "履行情况已更新。", "Fulfilment has been updated.";
    WfJudicialSaved => "司法确认情况已更新。", "Judicial confirmation has been updated.";
    WfSessionSaved => "调解记录已保存。", "The session has been saved.";
    WfVisitSaved => "回访记录已保存。", "The return visit has been saved.";
    WfRefusedTitle => "无法执行此操作", "This cannot be done";
    WfRefusedArchived => "该案件已归档,为只读状态,不能再修改;只能添加回访记录。", "This case is archived and read-only: it can no longer be changed. Only return visits can be added.";
    WfRefusedNotAllowed => "当前状态的案件不能执行此操作。", "This action is not possible for a case in its current status.";
    WfRefusedAction => "操作", "Action";
    WfCurrentStatus => "当前状态", "Current status";
    WfBackToCase => "返回案件", "Back to the case";
    WfArchivedBanner => "本案已归档,为只读状态;仍可添加回访记录。", "This case is archived and read-only; return visits can still be added.";
    WfArchivedOn => "归档日期", "Archived on";
    WfDeclinedOn => "不予受理日期", "Declined on";
    WfDeclineReason => "不予受理理由", "Reason for declining";
    WfWithdrawReason => "撤回原因", "Reason for withdrawal";
    WfFailNotes => "说明(可选)", "Notes (optional)";
    WfCloseReason => "结案说明", "Closing note";
    WfAgreementType => "协议形式", "Form of agreement";
    WfWritten => "书面协议", "Written";
    WfOral => "口头协议", "Oral";
    WfAmountAgreed => "协议金额(元)", "Amount agreed (yuan)";
    WfAgreementOn => "协议生效日期", "Agreement effective on";
    WfPerformanceDue => "履行期限", "Perform by";
    WfAgreementTerms => "协议内容", "Terms of the agreement";
    WfRoutes => "已告知当事人的途径", "Routes the parties were told of";
    WfRouteArbitration => "申请仲裁", "Arbitration";
    WfRouteAdministrative => "行政途径", "Administrative";
    WfRouteCourt => "向人民法院起诉", "Court";
    WfFulfilment => "履行情况", "Fulfilment";
    WfFulfilmentPending => "待履行", "Pending";
    WfFulfilmentFulfilled => "已履行", "Fulfilled";
    WfFulfilmentPartial => "部分履行", "Partly fulfilled";
    WfFulfilmentUnfulfilled => "未履行", "Not fulfilled";
    WfJudicial => "司法确认", "Judicial confirmation";
    WfJudicialNone => "未申请", "Not applied for";
    WfJudicialApplied => "已申请", "Applied for";
    WfJudicialConfirmed => "已确认", "Confirmed";
    WfJudicialRejected => "不予确认", "Rejected";
    WfJudicialAppliedOn => "申请日期", "Applied on";
    WfJudicialDeadline => "司法确认申请截止日", "Apply for confirmation by";
    WfSessions => "调解记录", "Mediation sessions";
    WfAddSession => "添加调解记录", "Add a session";
    WfEditSession => "修改调解记录", "Edit session";
    WfNoSessions => "尚无调解记录。", "No sessions yet.";
    WfHeldOn => "调解日期", "Held on";
    WfSessionForm => "调解方式", "Form";
    WfOnSite => "现场", "On site";
    WfPhone => "电话", "By phone";
    WfOnline => "线上", "Online";
    WfMediatorsPresent => "参加调解员", "Mediators present";
    WfSessionNotes => "调解笔录", "Notes";
    WfVisits => "回访记录", "Return visits";
    WfAddVisit => "添加回访记录", "Add a return visit";
    WfNoVisits => "尚无回访记录。", "No return visits yet.";
    WfVisitedOn => "回访日期", "Visited on";
    WfVisitor => "回访人", "Visitor";
    WfPerformanceFound => "回访时履行情况", "Performance found";
    WfSatisfaction => "当事人满意度", "Satisfaction";
    WfSatisfied => "满意", "Satisfied";
    WfBasicallySatisfied => "基本满意", "Basically satisfied";
    WfDissatisfied => "不满意", "Dissatisfied";
    WfVisitNotes => "回访情况", "Notes";
    WfHintVisit => "回访发现的履行情况会同时更新本案的履行情况。", "The performance found also becomes the case's fulfilment.";
    WfAgreement => "调解协议", "Agreement";
    WfPrintAgreement => "打印调解协议书", "Print the agreement";
    WfPrintOral => "打印口头协议登记表", "Print the oral-agreement record";
    WfFollowUp => "履行与回访", "Follow-up";
    WfDeadlines => "期限", "Deadlines";
    WfMediationDeadline => "调解期限", "Mediation due by";
    WfOverdueBy => "超期", "Overdue by";
    WfPastDueBy => "逾期履行", "Past due by";
    WfDays => "天", "days";
    WfDaysLeft => "剩余天数", "Days left";
    WfFlag => "期限提醒", "Deadline flag";
    WfFlagOverdue => "调解超期", "Overdue";
    WfFlagFollowUp => "需回访", "Needs follow-up";
    WfFlagJudicialDue => "司法确认即将到期", "Judicial confirmation due soon";
    WfMyWorkTitle => "我的待办", "My work";
    WfMyWorkHint => "有期限提醒的案件排在前面。", "Cases with a deadline flag come first.";
    WfMyWorkEmpty => "没有待办案件。", "Nothing open.";
    WfFlags => "提醒", "Flags";
    WfBeforeReceived => "不能早于登记日期。", "Cannot be before the case was received.";
    WfBeforeAccepted => "不能早于受理日期。", "Cannot be before the case was accepted.";
    WfBeforeAgreement => "不能早于协议生效日期。", "Cannot be before the agreement date.";
    WfAfterClosing => "不能晚于结案日期。", "Cannot be after the closing date.";
    WfNeedRoute => "请至少选择一种已告知当事人的途径。", "Choose at least one route the parties were told of.";
    WfDocAgreementTitle => "人民调解协议书", "People's Mediation Agreement";
    WfDocOralTitle => "口头协议登记表", "Record of an oral mediation agreement";
    WfDocNumber => "编号", "No.";
    WfDocApplicant => "申请人", "Applicant";
    WfDocRespondent => "被申请人", "Respondent";
    WfDocFacts => "纠纷主要事实、争议事项", "Facts and points in dispute";
    WfDocTerms => "经调解,当事人自愿达成如下协议", "Through mediation, the parties have freely agreed as follows";
    WfDocPerformance => "履行方式、时限", "How and by when the agreement is performed";
    WfDocHow => "当事人按照上述协议内容自行履行。", "The parties perform the terms above themselves.";
    WfDocEffect => "本协议自各方当事人签名(盖章)、人民调解员签名并加盖人民调解委员会印章之日起生效。", "This agreement takes effect when every party has signed or sealed it, the mediators have signed it and the committee's seal is affixed.";
    WfDocCopiesBefore => "本协议一式", "This agreement is made in ";
    WfDocCopiesAfter => "份,当事人各执一份,人民调解委员会留存一份。", " copies: one for each party and one kept by the mediation committee.";
    WfDocSignature => "签名(盖章)", "Signature (or seal)";
    WfDocMediatorSign => "人民调解员(签名)", "Mediator (signature)";
    WfDocSeal => "人民调解委员会(印章)", "Mediation committee (seal)";
    WfDocDate => "日期", "Date";
    WfDocOralNote => "当事人口头达成调解协议,由人民调解员记录(《人民调解法》第二十八条)。", "The parties reached an oral agreement, recorded by the mediator (People's Mediation Law, art. 28).";
    WfDocAgreedOn => "协议达成日期", "Agreement reached on";
    WfDocRecorder => "记录人(调解员)", "Recorded by (mediator)";
    WfDocPrintHint => "用浏览器的打印功能(Ctrl+P)在A4纸上打印。", "Print with the browser (Ctrl+P) on A4 paper.";
    WfHintAmountAgreed => "没有金额的协议写 0;可写 1234.50、1,234.50 或 1.5万。", "Write 0 for an agreement without money; e.g. 1234.50, 1,234.50 or 1.5万.";
    WfNoAgreement => "本案尚未调解成功,没有可打印的调解协议。", "This case has not been settled: there is no agreement to print.";
    // Dashboard, annual report and statistics (issue 5)
    NavReports => "年度报告", "Annual report";
    StDashboardTitle => "统计", "Dashboard";
    StMineOnly => "仅统计您登记或参与调解的案件。", "Only the cases you registered or mediate are counted.";
    StPeriod => "统计期间", "Period";
    StAllYears => "全部年份", "All years";
    StYear => "年份", "Year";
    StFrom => "自", "From";
    StTo => "至", "To";
    StShow => "查看", "Show";
    StPeriodHint => "选择年份,或填写起止日期(按登记日期和受理日期统计)。", "Choose a year, or enter a start and end date (cases received or accepted in it).";
    StBadPeriod => "期间无效:请填写有效的起止日期,且开始不晚于结束。", "Not a valid period: enter both dates, the start no later than the end.";
    StCases => "登记案件", "Cases received";
    StAccepted => "受理案件", "Cases accepted";
    StSettled => "调解成功", "Settled";
    StSuccessRate => "成功率", "Success rate";
    StClaimed => "涉及金额", "Amount in dispute";
    StAgreed => "协议金额", "Amount agreed";
    StWan => "万元", "million yuan";
    StAvgDays => "平均结案天数", "Average days to close";
    StFulfilment => "协议履行率", "Agreements fulfilled";
    StOverdue => "超期未结", "Overdue";
    StNoData => "本期间没有案件。", "No cases in this period.";
    StByCategory => "按纠纷类型", "By category";
    StBySource => "按案件来源", "By source";
    StByDistrict => "按区县", "By district";
    StByMediator => "按调解员", "By mediator";
    StByMonth => "按月份", "By month";
    StMonth => "月份", "Month";
    StChartPerMonth => "每月登记与受理案件数", "Cases received and accepted per month";
    StChartPerYear => "每年登记与受理案件数", "Cases received and accepted per year";
    StChartByCategory => "各类纠纷案件数", "Cases by category";
    StChartTrend => "调解成功率走势(%)", "Success rate over time (%)";
    StLegendReceived => "登记", "Received";
    StLegendAccepted => "受理", "Accepted";
    StOverdueTitle => "超期未结案件", "Overdue cases";
    StOverdueNone => "没有超期案件。", "No case is overdue.";
    StDaysInMediation => "已调解天数", "Days in mediation";
    StSeeAll => "查看全部", "See all";
    StTotal => "合计", "Total";
    StCumulative => "累计协调物业纠纷{n}件,涉及金额{y}万元", "In total since the first case: {n} property disputes mediated, involving {y} million yuan";
    StHeadline => "全年受理物业纠纷{n}件,调解成功{m}件,成功率{x}%,涉及金额{y}万元", "In the year the committee accepted {n} property disputes and settled {m}, a success rate of {x}%, involving {y} million yuan";
    StReportTitle => "{year}年度物业纠纷调解工作报告", "Property-dispute mediation: annual report {year}";
    StReportLink => "年度报告(可打印)", "Annual report (printable)";
    StReportOtherYears => "其他年份", "Other years";
    StReportPrepared => "制表日期", "Prepared on";
    StReportPrintHint => "用浏览器的打印功能(Ctrl+P)在A4纸上打印。", "Print with the browser (Ctrl+P) on A4 paper.";
    // CSV export, import and backup (issue 6). Headings: the English text is the column's key.
    CsvCaseNo => "案件编号", "case_no";
    CsvReceivedOn => "登记日期", "received_on";
    CsvAcceptedOn => "受理日期", "accepted_on";
    CsvSource => "案件来源", "source";
    CsvCategory => "纠纷类型", "category";
    CsvProject => "项目/小区", "project";
    CsvDistrict => "区县", "district";
    CsvSummary => "纠纷概要", "summary";
    CsvAmountClaimed => "涉及金额", "amount_claimed";
    CsvStatus => "状态", "status";
    CsvAgreementType => "协议形式", "agreement_type";
    CsvAmountAgreed => "协议金额", "amount_agreed";
    CsvAgreementOn => "协议生效日期", "agreement_on";
    CsvPerformanceDue => "履行期限", "performance_due";
    CsvFulfilment => "履行情况", "fulfilment";
    CsvJudicialConfirmation => "司法确认", "judicial_confirmation";
    CsvClosedOn => "结案日期", "closed_on";
    CsvApplicants => "申请人", "applicants";
    CsvApplicantType => "申请人类型", "applicant_type";
    CsvRespondents => "被申请人", "respondents";
    CsvRespondentType => "被申请人类型", "respondent_type";
    CsvMediators => "调解员", "mediators";
    CsvStatsBreakdown => "分类", "breakdown";
    CsvStatsGroup => "项目", "group";
    CsvStatsCases => "登记件数", "cases";
    CsvStatsAccepted => "受理件数", "accepted";
    CsvStatsSettled => "调解成功", "settled";
    CsvStatsSuccessRate => "成功率(%)", "success_rate";
    CsvStatsMonth => "月份", "month";
    CsvStatsMediator => "调解员", "mediator";
    CsvAgreementWritten => "书面", "Written";
    CsvAgreementOral => "口头", "Oral";
    CsvFulfilmentPending => "待履行", "Pending";
    CsvFulfilmentFulfilled => "已履行", "Fulfilled";
    CsvFulfilmentPartial => "部分履行", "Partly fulfilled";
    CsvFulfilmentUnfulfilled => "未履行", "Unfulfilled";
    CsvJudicialNone => "未申请", "Not applied for";
    CsvJudicialApplied => "已申请", "Applied for";
    CsvJudicialConfirmed => "已确认", "Confirmed";
    CsvJudicialRejected => "被驳回", "Rejected";
    CsvErrorAt => "第{row}行,{col}:{msg}", "row {row}, {col}: {msg}";
    CsvErrorAtRow => "第{row}行:{msg}", "row {row}: {msg}";
    CsvColumn => "{letter}列({heading})", "column {letter} ({heading})";
    CsvColumnBare => "{letter}列", "column {letter}";
    CsvNotUtf8 => "文件不是 UTF-8 编码。请在 Excel 中另存为“CSV UTF-8(逗号分隔)”后再导入。", "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)” and import that.";
    CsvEmpty => "文件是空的,没有标题行。", "The file is empty: it has no heading row.";
    CsvNoRows => "文件中没有案件行。", "The file has no case rows.";
    CsvMalformed => "无法读取的 CSV 内容。", "This is not readable CSV.";
    CsvUnknownColumn => "无法识别的列标题;请使用导出文件的列标题(中文或英文)。", "Unknown column heading; use the headings of an export (Chinese or English).";
    CsvMissingColumn => "缺少必需的列“{col}”。", "The required column “{col}” is missing.";
    CsvDuplicateColumn => "列标题重复。", "This column heading appears twice.";
    CsvExtraCell => "该单元格不在任何列标题下。", "This cell is under no column heading.";
    CsvBadCaseNo => "不是有效的案件编号,例如 物调〔2023〕第0007号;留空则自动编号。", "Not a case number like 物调〔2023〕第0007号; leave it blank to have one assigned.";
    CsvCaseNoTaken => "该案件编号已存在。", "This case number already exists.";
    CsvDuplicateInFile => "案件编号在文件中重复(另见第{row}行)。", "The case number appears twice in the file (see also row {row}).";
    CsvRequiredForStatus => "该状态下必填。", "Required for this status.";
    CsvNotForStatus => "该状态下应留空。", "Must be empty for this status.";
    CsvDateBefore => "不能早于“{col}”。", "Cannot be before “{col}”.";
    CsvTypeCount => "请填写一个类型(适用于所有人),或每人一个类型,用“; ”分隔。", "Give one type for all, or one type per name, separated by “; ”.";
    CsvImported => "已导入 {n} 件案件。", "Imported {n} cases.";
    CsvDryRunOk => "检查完毕:{n} 件案件全部有效。未写入任何内容。", "Checked: all {n} cases are valid. Nothing was written.";
    CsvNewMediators => "新建调解员:", "New mediators: ";
    CsvWouldCreateMediators => "导入时将新建调解员:", "Importing will create these mediators: ";
    CsvListSeparator => "、", ", ";
    CsvImportFailed => "未导入任何内容。请修改以下 {n} 处错误后重新上传:", "Nothing was imported. Correct these {n} problems and upload the file again:";
    ImportTitle => "导入案件", "Import cases";
    ImportIntro => "上传导出格式的 CSV 文件(中文或英文列标题均可,可带或不带 BOM)。只有全部行都有效时才会写入,且一次写入;否则不写入任何内容,并列出每一处错误。没有编号的案件将自动编号;文件中新出现的调解员将被创建。", "Upload a CSV file in the export's format (Chinese or English headings, with or without a BOM). It is written only if every row is valid, and then all at once; otherwise nothing is written and every problem is listed. Cases without a number get one; mediators new to Accord are created.";
    ImportFile => "CSV 文件", "CSV file";
    ImportCheckOnly => "仅检查,不导入", "Check only, do not import";
    ImportButton => "上传", "Upload";
    ImportNoFile => "请选择要上传的 CSV 文件。", "Choose a CSV file to upload.";
    BackupTitle => "备份", "Backup";
    BackupIntro => "下载整个数据库的一致副本;服务器运行时也可以备份。文件名带日期,请妥善保存。", "Download a consistent copy of the whole database; this works while the server runs. The file is named with the date; keep it safe.";
    BackupRestore => "恢复方法:停止 Accord;用备份文件替换数据库文件(默认 data/accord.db),并删除同目录下的 accord.db-wal 和 accord.db-shm;再启动 Accord。", "To restore: stop Accord; replace the database file (data/accord.db by default) with the backup and delete accord.db-wal and accord.db-shm beside it; start Accord again.";
    BackupButton => "下载备份", "Download a backup";
}

/// The words for a field's problem, shared by forms and CSV import.
pub fn problem_msg(problem: Problem) -> Msg {
    match problem {
        Problem::Required => Msg::ProblemRequired,
        Problem::Money(MoneyError::NotANumber) => Msg::ProblemNotANumber,
        Problem::Money(MoneyError::Negative) => Msg::ProblemNegative,
        Problem::Money(MoneyError::TooManyDecimals) => Msg::ProblemTooManyDecimals,
        Problem::Money(MoneyError::TooLarge) => Msg::ProblemTooLarge,
        Problem::NotADate => Msg::ProblemNotADate,
        Problem::DateOutOfRange => Msg::ProblemDateOutOfRange,
        Problem::DateInFuture => Msg::ProblemDateInFuture,
        Problem::BadPhone => Msg::ProblemBadPhone,
        Problem::TooLong => Msg::ProblemTooLong,
        Problem::UnknownCode => Msg::ProblemUnknownCode,
        Problem::NeedApplicant => Msg::ProblemNeedApplicant,
        Problem::NeedRespondent => Msg::ProblemNeedRespondent,
        Problem::NeedMediator => Msg::ProblemNeedMediator,
        Problem::UnknownMediator => Msg::ProblemUnknownMediator,
        Problem::Duplicate => Msg::ProblemDuplicate,
        Problem::PasswordTooShort => Msg::ProblemPasswordTooShort,
        Problem::BadCode => Msg::ProblemBadCode,
    }
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
