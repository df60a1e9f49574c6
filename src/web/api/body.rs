//! The API's case bodies: what a client sends (read into the case form, so
//! the form's rules check it) and what it reads. Money as strings with two
//! decimals, dates ISO, codes as DOMAIN.md spells them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::problem::ApiError;
use crate::domain::case::{CaseForm, PartyForm};
use crate::domain::official::FiguresForm;
use crate::domain::{Money, Permission};
use crate::store::cases::{CaseDetail, CaseListRow, Party};

/// Reads a JSON body; anything else is a 400 problem.
pub fn read_body<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|_| ApiError::BadJson)
}

/// A case as registered or edited: the case form's fields.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct CaseBody {
    /// The day the dispute reached the committee, `YYYY-MM-DD`, not after today.
    #[schema(example = "2026-11-20")]
    pub received_on: String,
    /// A source code, e.g. `court_referral`.
    #[schema(example = "court_referral")]
    pub source: String,
    /// A category code, e.g. `fees`.
    #[schema(example = "fees")]
    pub category: String,
    /// The estate or building.
    #[schema(example = "阳光花园")]
    pub project: String,
    /// A district code.
    #[schema(example = "chaoyang")]
    pub district: String,
    /// Facts, points in dispute, each side's claims.
    pub summary: String,
    /// Yuan with at most two decimals, e.g. `"12800.00"`; `null` or absent when unknown.
    #[schema(example = "12800.00")]
    pub amount_claimed: Option<String>,
    /// One or more.
    pub applicants: Vec<PartyBody>,
    /// One or more.
    pub respondents: Vec<PartyBody>,
    /// Ids of the committee's mediators (see `/api/v1/reference`), one or more.
    pub mediators: Vec<i64>,
    /// 涉及当事人人数, 1 to 99999; absent: the official report counts the parties.
    pub people_involved: Option<u32>,
    /// 防止民转刑: the people kept from it; absent or 0: none.
    pub prevented_crime: Option<u32>,
    /// 防止群体性上访: the people kept from it; absent or 0: none.
    pub prevented_petition: Option<u32>,
}

/// A party as sent.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PartyBody {
    /// A party type code, e.g. `owner`.
    #[schema(example = "owner")]
    pub party_type: String,
    #[schema(example = "张三")]
    pub name: String,
    /// A mainland mobile or landline number, or empty.
    #[schema(example = "13812341234")]
    pub phone: String,
    pub id_number: String,
    pub address: String,
    /// The legal representative or agent of an organisation.
    pub representative: String,
}

impl CaseBody {
    /// The body as the case form would have been typed.
    pub fn form(&self) -> CaseForm {
        let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        let party = |p: &PartyBody| PartyForm {
            party_type: p.party_type.clone(),
            name: p.name.clone(),
            phone: p.phone.clone(),
            id_number: p.id_number.clone(),
            address: p.address.clone(),
            representative: p.representative.clone(),
        };
        CaseForm {
            received_on: self.received_on.clone(),
            source: self.source.clone(),
            category: self.category.clone(),
            project: self.project.clone(),
            district: self.district.clone(),
            summary: self.summary.clone(),
            amount_claimed: self.amount_claimed.clone().unwrap_or_default(),
            applicants: self.applicants.iter().map(party).collect(),
            respondents: self.respondents.iter().map(party).collect(),
            mediators: self.mediators.iter().map(i64::to_string).collect(),
            figures: FiguresForm {
                people_involved: count(self.people_involved),
                prevented_crime: count(self.prevented_crime),
                prevented_petition: count(self.prevented_petition),
            },
        }
    }
}

/// Money as the API writes it: yuan with two decimals.
pub fn money(fen: i64) -> String {
    Money::from_fen(fen).plain()
}

/// A case just registered.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseCreated {
    pub id: i64,
    #[schema(example = "物调〔2026〕第0001号")]
    pub case_no: String,
}

/// A line of the case list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: i64,
    pub case_no: String,
    #[schema(example = "2026-11-20")]
    pub received_on: String,
    #[schema(example = "in_mediation")]
    pub status: String,
    pub category: String,
    pub project: String,
    pub district: String,
    /// Yuan with two decimals; `null` when not entered.
    #[schema(example = "1361000.00")]
    pub amount_claimed: Option<String>,
    /// The applicants' names, `; ` between them.
    pub applicants: String,
    pub respondents: String,
    pub mediators: String,
}

impl CaseSummary {
    pub fn of(r: &CaseListRow) -> CaseSummary {
        CaseSummary {
            id: r.id,
            case_no: r.case_no.clone(),
            received_on: r.received_on.to_string(),
            status: r.status.code().to_string(),
            category: r.category.clone(),
            project: r.project.clone(),
            district: r.district.clone(),
            amount_claimed: r.amount_claimed.map(money),
            applicants: r.applicants.clone().unwrap_or_default(),
            respondents: r.respondents.clone().unwrap_or_default(),
            mediators: r.mediators.clone().unwrap_or_default(),
        }
    }
}

/// A page of the case list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CasesPage {
    pub cases: Vec<CaseSummary>,
    /// Where the next page starts; `null` on the last page.
    pub cursor: Option<String>,
    /// The next page's URL (the same filters and limit); `null` on the last page.
    pub next: Option<String>,
}

/// A party as read.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyOut {
    pub id: i64,
    pub party_type: String,
    pub name: String,
    /// Empty for a role that sees no phones.
    pub phone: String,
    /// Masked (`1101**********002X`) for a role that sees no whole ID numbers.
    pub id_number: String,
    pub address: String,
    pub representative: String,
}

/// A mediator of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct MediatorOut {
    pub id: i64,
    pub name: String,
}

/// A case as read: its registration, its outcome so far, its parties and mediators.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseOut {
    pub id: i64,
    pub case_no: String,
    pub committee_id: i64,
    pub received_on: String,
    pub accepted_on: Option<String>,
    #[schema(example = "settled")]
    pub status: String,
    pub source: String,
    pub category: String,
    pub project: String,
    pub district: String,
    pub summary: String,
    #[schema(example = "1361000.00")]
    pub amount_claimed: Option<String>,
    /// `written` or `oral`.
    pub agreement_type: Option<String>,
    #[schema(example = "12000.00")]
    pub amount_agreed: Option<String>,
    pub agreement_on: Option<String>,
    pub performance_due: Option<String>,
    /// `pending`, `fulfilled`, `partial` or `unfulfilled`.
    pub fulfilment: Option<String>,
    /// `none`, `applied`, `confirmed` or `rejected`.
    pub judicial_confirmation: String,
    pub closed_on: Option<String>,
    pub archived_on: Option<String>,
    /// 涉及当事人人数 as entered; `null`: the official report counts the parties.
    pub people_involved: Option<u32>,
    /// 防止民转刑 and 防止群体性上访: the people of each, 0 for none.
    pub prevented_crime: u32,
    pub prevented_petition: u32,
    pub applicants: Vec<PartyOut>,
    pub respondents: Vec<PartyOut>,
    pub mediators: Vec<MediatorOut>,
    pub created_at: String,
    pub updated_at: String,
}

impl CaseOut {
    pub fn of(d: &CaseDetail, caller: &Caller) -> CaseOut {
        let c = &d.case;
        let phones = caller.may(Permission::SeePhones);
        let whole_ids = caller.may(Permission::SeeIdNumbers);
        let party = |p: &Party| PartyOut {
            id: p.id,
            party_type: p.party_type.clone(),
            name: p.name.clone(),
            phone: if phones { p.phone.clone() } else { String::new() },
            id_number: if whole_ids {
                p.id_number.clone()
            } else {
                crate::domain::id_number::mask(&p.id_number)
            },
            address: p.address.clone(),
            representative: p.representative.clone(),
        };
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        let figures = c.figures();
        CaseOut {
            id: c.id,
            case_no: c.case_no.clone(),
            committee_id: c.committee_id,
            received_on: c.received_on.to_string(),
            accepted_on: day(c.accepted_on),
            status: c.status.code().to_string(),
            source: c.source.clone(),
            category: c.category.clone(),
            project: c.project.clone(),
            district: c.district.clone(),
            summary: c.summary.clone(),
            amount_claimed: c.claimed().map(money),
            agreement_type: c.agreement_type.map(|a| a.code().to_string()),
            amount_agreed: c.amount_agreed.map(money),
            agreement_on: day(c.agreement_on),
            performance_due: day(c.performance_due),
            fulfilment: c.fulfilment.map(|f| f.code().to_string()),
            judicial_confirmation: c.judicial_confirmation.code().to_string(),
            closed_on: day(c.closed_on),
            archived_on: day(c.archived_on),
            people_involved: figures.people_involved,
            prevented_crime: figures.prevented_crime,
            prevented_petition: figures.prevented_petition,
            applicants: d.applicants().map(party).collect(),
            respondents: d.respondents().map(party).collect(),
            mediators: d
                .mediators
                .iter()
                .map(|(id, name)| MediatorOut {
                    id: *id,
                    name: name.clone(),
                })
                .collect(),
            created_at: c.created_at.clone(),
            updated_at: c.updated_at.clone(),
        }
    }
}
