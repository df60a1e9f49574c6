//! One data row checked by the case form's own rules, plus the outcome's.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::outcome::{self, OutcomeCells};
use super::read::{RawRow, Sheet};
use super::{ImportError, ImportProblem, Options};
use crate::csv_io::cell::split_names;
use crate::csv_io::columns::Column;
use crate::domain::case::{CaseForm, Lookup, NAME_MAX, PartyForm, check_text};
use crate::domain::official::FiguresForm;
use crate::domain::reference::RefLists;
use crate::domain::{CaseNo, RefList};
use crate::store::import::ImportedCase;
use crate::store::mediators::Mediator;

/// Mediators by name: those on file, and those the import will create
/// (with stand-in ids `-1`, `-2` ... in order of first mention).
#[derive(Debug, Default)]
pub struct MediatorNames {
    known: HashMap<String, i64>,
    /// Names to create, in order of first mention.
    pub new: Vec<String>,
}

impl MediatorNames {
    /// Active mediators win over inactive ones of the same name; then the
    /// oldest record.
    pub fn new(mediators: &[Mediator]) -> MediatorNames {
        let mut sorted: Vec<&Mediator> = mediators.iter().collect();
        sorted.sort_by_key(|m| (!m.active, m.id));
        let mut known = HashMap::new();
        for m in sorted {
            known.entry(m.name.trim().to_string()).or_insert(m.id);
        }
        MediatorNames { known, new: Vec::new() }
    }

    fn id_for(&mut self, name: &str) -> i64 {
        if let Some(&id) = self.known.get(name) {
            return id;
        }
        self.new.push(name.to_string());
        let id = -(self.new.len() as i64);
        self.known.insert(name.to_string(), id);
        id
    }
}

/// The case rules' view of the world for an import: historical rows may
/// carry retired codes and inactive or new mediators.
struct World<'a> {
    today: NaiveDate,
    refs: &'a RefLists,
    max_parties_per_side: usize,
}

impl Lookup for World<'_> {
    fn today(&self) -> NaiveDate {
        self.today
    }
    fn code_allowed(&self, list: RefList, code: &str) -> bool {
        self.refs.list(list).iter().any(|i| i.code == code)
    }
    fn mediator_allowed(&self, _: i64) -> bool {
        // Every id here came from `MediatorNames`.
        true
    }
    fn max_parties_per_side(&self) -> usize {
        self.max_parties_per_side
    }
}

/// The column a case-form field's error belongs to.
fn column_of(field: &str) -> Column {
    let base = field.split('.').next().unwrap_or(field);
    match base {
        "received_on" => Column::ReceivedOn,
        "source" => Column::Source,
        "category" => Column::Category,
        "project" => Column::Project,
        "district" => Column::District,
        "summary" => Column::Summary,
        "amount_claimed" => Column::AmountClaimed,
        "applicant_type" => Column::ApplicantType,
        "respondent_type" => Column::RespondentType,
        "respondent_name" | "respondent_phone" => Column::Respondents,
        "mediators" => Column::Mediators,
        "people_involved" => Column::PeopleInvolved,
        "prevented_crime" => Column::PreventedCrimePeople,
        "prevented_petition" => Column::PreventedPetitionPeople,
        _ => Column::Applicants,
    }
}

/// Pairs names with types: one type per name, or one type for all. With
/// any other count the problem is reported and the names are still checked
/// (against the types in order), so one mistake gives one message.
fn parties(names: &str, types: &str) -> (Vec<PartyForm>, Option<ImportProblem>) {
    let names = split_names(names);
    let types = split_names(types);
    let fits = types.len() <= 1 || types.len() == names.len();
    let parties = names
        .iter()
        .enumerate()
        .map(|(i, name)| PartyForm {
            party_type: match types.len() {
                1 => types[0],
                _ => types.get(i).or(types.last()).copied().unwrap_or(""),
            }
            .to_string(),
            name: name.to_string(),
            ..PartyForm::default()
        })
        .collect();
    (parties, (!fits).then_some(ImportProblem::TypeCount))
}

/// Checks one row. Codes may be written as codes or labels.
pub fn check(
    sheet: &Sheet,
    raw: &RawRow,
    refs: &RefLists,
    mediators: &mut MediatorNames,
    options: &Options,
) -> Result<ImportedCase, Vec<ImportError>> {
    let today = options.today;
    let cell = |c: Column| sheet.cell(raw, c);
    let mut problems: Vec<(Column, ImportProblem)> = Vec::new();
    let case_no = match cell(Column::CaseNo).trim() {
        "" => None,
        text => {
            let parsed = CaseNo::parse(text);
            if parsed.is_none() {
                problems.push((Column::CaseNo, ImportProblem::BadCaseNo));
            }
            parsed
        }
    };
    let code = |list: RefList, c: Column| {
        let v = cell(c);
        refs.code_for(list, v).unwrap_or(v).to_string()
    };
    let mut side = |names: Column, types: Column| {
        let (parties, problem) = parties(cell(names), cell(types));
        problems.extend(problem.map(|p| (types, p)));
        parties
    };
    let applicants = side(Column::Applicants, Column::ApplicantType);
    let respondents = side(Column::Respondents, Column::RespondentType);
    let mut mediator_ids = Vec::new();
    for name in split_names(cell(Column::Mediators)) {
        match check_text(name, NAME_MAX, true) {
            (name, None) => mediator_ids.push(mediators.id_for(&name).to_string()),
            (_, Some(problem)) => {
                let p = (Column::Mediators, ImportProblem::Field(problem));
                if !problems.contains(&p) {
                    problems.push(p);
                }
            }
        }
    }
    let form = CaseForm {
        received_on: cell(Column::ReceivedOn).to_string(),
        source: code(RefList::Source, Column::Source),
        category: code(RefList::Category, Column::Category),
        project: cell(Column::Project).to_string(),
        district: code(RefList::District, Column::District),
        summary: cell(Column::Summary).to_string(),
        amount_claimed: cell(Column::AmountClaimed).to_string(),
        applicants: with_type_codes(applicants, refs),
        respondents: with_type_codes(respondents, refs),
        mediators: mediator_ids,
        // Blank, or a file without these columns: the parties; none prevented.
        figures: FiguresForm {
            people_involved: cell(Column::PeopleInvolved).to_string(),
            prevented_crime: cell(Column::PreventedCrimePeople).to_string(),
            prevented_petition: cell(Column::PreventedPetitionPeople).to_string(),
        },
    };
    let checked = form.validate(&World {
        today,
        refs,
        max_parties_per_side: options.max_parties_per_side,
    });
    if let Err(errors) = &checked {
        for e in &errors.0 {
            let column = column_of(&e.field);
            // Two parties with the same fault need one message.
            let p = (column, ImportProblem::Field(e.problem));
            if !problems.contains(&p) {
                problems.push(p);
            }
        }
    }
    let received_on = checked.as_ref().ok().map(|c| c.received_on);
    if let Some(no) = &case_no {
        if no.seq > CaseNo::SEQ_MAX {
            problems.push((Column::CaseNo, ImportProblem::CaseNoSeqTooLarge));
        } else if received_on.is_some_and(|d| d.year() != no.year) {
            problems.push((Column::CaseNo, ImportProblem::CaseNoYear));
        }
    }
    let cells = OutcomeCells {
        status: cell(Column::Status),
        accepted_on: cell(Column::AcceptedOn),
        agreement_type: cell(Column::AgreementType),
        amount_agreed: cell(Column::AmountAgreed),
        agreement_on: cell(Column::AgreementOn),
        performance_due: cell(Column::PerformanceDue),
        fulfilment: cell(Column::Fulfilment),
        judicial_confirmation: cell(Column::JudicialConfirmation),
        closed_on: cell(Column::ClosedOn),
        agreement_terms: cell(Column::AgreementTerms),
        close_reason: cell(Column::CloseReason),
    };
    let outcome = outcome::check(&cells, received_on, today).map_err(|p| problems.extend(p));
    match (checked, outcome) {
        (Ok(case), Ok(o)) if problems.is_empty() => Ok(ImportedCase {
            row: raw.row,
            case_no,
            case,
            status: o.status,
            accepted_on: o.accepted_on,
            agreement_type: o.agreement_type,
            amount_agreed: o.amount_agreed,
            agreement_on: o.agreement_on,
            performance_due: o.performance_due,
            fulfilment: o.fulfilment,
            judicial_confirmation: o.judicial_confirmation,
            closed_on: o.closed_on,
            agreement_terms: o.agreement_terms,
            close_reason: o.close_reason,
        }),
        _ => Err(problems.into_iter().map(|(c, p)| sheet.error(raw.row, c, p)).collect()),
    }
}

fn with_type_codes(mut parties: Vec<PartyForm>, refs: &RefLists) -> Vec<PartyForm> {
    for p in &mut parties {
        if let Some(code) = refs.code_for(RefList::PartyType, &p.party_type) {
            p.party_type = code.to_string();
        }
    }
    parties
}
