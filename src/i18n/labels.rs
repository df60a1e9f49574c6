//! The one home of every code's label: a status, a role, a fulfilment, a
//! field's problem ... each in Chinese and English, through the catalogue.

use super::{Lang, Msg};
use crate::domain::attachment::AttachmentKind;
use crate::domain::case::Problem;
use crate::domain::money::MoneyError;
use crate::domain::official::{NationalType, SourceGroup};
use crate::domain::workflow::{Action, AgreementType, Fulfilment, Judicial, Route, Satisfaction, SessionMode};
use crate::domain::{Flag, PartyRole, Role, Status};

/// A value a person reads as words.
pub trait Label: Copy {
    /// Its message in the catalogue.
    fn msg(self) -> Msg;

    fn label(self, lang: Lang) -> &'static str {
        self.msg().text(lang)
    }
}

/// Implements [`Label`] from a list of `variant => message` pairs.
macro_rules! labels {
    ($($ty:ty { $($variant:pat => $msg:ident,)* })*) => {$(
        impl Label for $ty {
            fn msg(self) -> Msg {
                match self { $($variant => Msg::$msg,)* }
            }
        }
    )*};
}

labels! {
    Status {
        Status::Registered => StatusRegistered,
        Status::InMediation => StatusInMediation,
        Status::Settled => StatusSettled,
        Status::Failed => StatusFailed,
        Status::Withdrawn => StatusWithdrawn,
        Status::Declined => StatusDeclined,
        Status::Voided => StatusVoided,
    }
    Role {
        Role::Admin => RoleAdmin,
        Role::Secretary => RoleSecretary,
        Role::Mediator => RoleMediator,
        Role::Supervisor => RoleSupervisor,
    }
    PartyRole {
        PartyRole::Applicant => PartyApplicant,
        PartyRole::Respondent => PartyRespondent,
    }
    AgreementType {
        AgreementType::Written => WfWritten,
        AgreementType::Oral => WfOral,
    }
    Route {
        Route::Arbitration => WfRouteArbitration,
        Route::Administrative => WfRouteAdministrative,
        Route::Court => WfRouteCourt,
    }
    Fulfilment {
        Fulfilment::Pending => WfFulfilmentPending,
        Fulfilment::Fulfilled => WfFulfilmentFulfilled,
        Fulfilment::Partial => WfFulfilmentPartial,
        Fulfilment::Unfulfilled => WfFulfilmentUnfulfilled,
    }
    Judicial {
        Judicial::None => WfJudicialNone,
        Judicial::Applied => WfJudicialApplied,
        Judicial::Confirmed => WfJudicialConfirmed,
        Judicial::Rejected => WfJudicialRejected,
    }
    SessionMode {
        SessionMode::OnSite => WfOnSite,
        SessionMode::Phone => WfPhone,
        SessionMode::Online => WfOnline,
    }
    Satisfaction {
        Satisfaction::Satisfied => WfSatisfied,
        Satisfaction::BasicallySatisfied => WfBasicallySatisfied,
        Satisfaction::Dissatisfied => WfDissatisfied,
    }
    Action {
        Action::Accept => WfAccept,
        Action::Decline => WfDecline,
        Action::Settle => WfSettle,
        Action::Fail => WfFail,
        Action::Withdraw => WfWithdraw,
        Action::Archive => WfArchive,
        Action::Fulfilment => WfSetFulfilment,
        Action::Judicial => WfSetJudicial,
        Action::Session => WfRecordSession,
        Action::Visit => WfRecordVisit,
        Action::CorrectAgreement => CorrCorrectAgreement,
        Action::Reopen => CorrReopen,
        Action::Unarchive => CorrUnarchive,
        Action::Void => CorrVoid,
    }
    AttachmentKind {
        AttachmentKind::Application => AttKindApplication,
        AttachmentKind::Identity => AttKindIdentity,
        AttachmentKind::Evidence => AttKindEvidence,
        AttachmentKind::SignedAgreement => AttKindSignedAgreement,
        AttachmentKind::PerformanceProof => AttKindPerformanceProof,
        AttachmentKind::Photo => AttKindPhoto,
        AttachmentKind::Other => AttKindOther,
    }
    Flag {
        Flag::Overdue => WfFlagOverdue,
        Flag::FollowUp => WfFlagFollowUp,
        Flag::JudicialDue => WfFlagJudicialDue,
    }
    Problem {
        Problem::Required => ProblemRequired,
        Problem::Money(MoneyError::NotANumber) => ProblemNotANumber,
        Problem::Money(MoneyError::Negative) => ProblemNegative,
        Problem::Money(MoneyError::TooManyDecimals) => ProblemTooManyDecimals,
        Problem::Money(MoneyError::TooLarge) => ProblemTooLarge,
        Problem::NotADate => ProblemNotADate,
        Problem::DateOutOfRange => ProblemDateOutOfRange,
        Problem::DateInFuture => ProblemDateInFuture,
        Problem::BadPhone => ProblemBadPhone,
        Problem::BadIdNumber => ProblemBadIdNumber,
        Problem::TooLong => ProblemTooLong,
        Problem::UnknownCode => ProblemUnknownCode,
        Problem::NeedApplicant => ProblemNeedApplicant,
        Problem::NeedRespondent => ProblemNeedRespondent,
        Problem::NeedMediator => ProblemNeedMediator,
        Problem::UnknownMediator => ProblemUnknownMediator,
        Problem::Duplicate => ProblemDuplicate,
        Problem::PasswordTooShort => ProblemPasswordTooShort,
        Problem::BadCode => ProblemBadCode,
        Problem::BeforeReceived => WfBeforeReceived,
        Problem::BeforeAccepted => WfBeforeAccepted,
        Problem::BeforeAgreement => WfBeforeAgreement,
        Problem::AfterClosing => WfAfterClosing,
        Problem::NeedRoute => WfNeedRoute,
        Problem::ControlChar => ProblemControlChar,
        Problem::TooManyParties(_) => ProblemTooManyParties,
        Problem::NeedReason => CorrNeedReason,
        Problem::NotACount => ProblemNotACount,
    }
    // Official statistics report (issue 16)
    NationalType {
        NationalType::MarriageFamily => NtMarriageFamily,
        NationalType::Neighbourhood => NtNeighbourhood,
        NationalType::HousingLand => NtHousingLand,
        NationalType::Contract => NtContract,
        NationalType::Business => NtBusiness,
        NationalType::Damages => NtDamages,
        NationalType::ForestLand => NtForestLand,
        NationalType::LandRequisition => NtLandRequisition,
        NationalType::Environment => NtEnvironment,
        NationalType::Labour => NtLabour,
        NationalType::Consumer => NtConsumer,
        NationalType::Medical => NtMedical,
        NationalType::Traffic => NtTraffic,
        NationalType::Property => NtProperty,
        NationalType::Other => NtOther,
    }
    SourceGroup {
        SourceGroup::Initiative => SgInitiative,
        SourceGroup::Application => SgApplication,
        SourceGroup::Referral => SgReferral,
    }
}

/// The words for a field's problem with its numbers filled in.
pub fn problem_text(problem: Problem, lang: Lang) -> String {
    let text = problem.label(lang);
    match problem {
        Problem::TooManyParties(max) => text.replace("{max}", &max.to_string()),
        _ => text.to_string(),
    }
}
