//! Organisations (issue 15): associations, national, provincial or city,
//! and under them the mediation committees (调委会) that number and keep
//! cases. One installation holds one tree of them.

use super::Role;
use super::fields::Problem;

codes! {
    /// An association oversees; a committee mediates and numbers cases.
    OrgKind { Association => "association", Committee => "committee", }
}

codes! {
    /// The level of an association (全国 / 省级 / 市级).
    OrgLevel { National => "national", Provincial => "provincial", City => "city", }
}

/// A region's code of GB/T 2260: six digits, e.g. `110105` (朝阳区).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a region code is six digits (GB/T 2260), e.g. 110105")]
pub struct RegionCodeError;

impl RegionCode {
    /// Six ASCII digits whose first two name a province (11 to 82), as
    /// typed less surrounding spaces.
    pub fn parse(input: &str) -> Result<RegionCode, RegionCodeError> {
        let text = input.trim();
        let digits = text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit());
        if !digits {
            return Err(RegionCodeError);
        }
        let province: u32 = text[..2].parse().map_err(|_| RegionCodeError)?;
        if !(11..=82).contains(&province) {
            return Err(RegionCodeError);
        }
        Ok(RegionCode(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A committee's case-number prefix (e.g. `物调`, `朝调`): what stands
/// before `〔2026〕第0001号`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePrefix(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a case-number prefix is 1 to 10 characters, without spaces, brackets or digits")]
pub struct CasePrefixError;

impl CasePrefix {
    pub fn parse(input: &str) -> Result<CasePrefix, CasePrefixError> {
        let text = input.trim();
        let n = text.chars().count();
        let clean = text
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !c.is_ascii_digit() && !"〔〕[]()（）".contains(c));
        if (1..=10).contains(&n) && clean {
            Ok(CasePrefix(text.to_string()))
        } else {
            Err(CasePrefixError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest organisation name, in characters.
pub const ORG_NAME_MAX: usize = 64;

/// What can be wrong with an organisation as typed or as placed in the
/// tree: the web and the command line turn it into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgProblem {
    /// A text rule of every field (required, too long, control character).
    Text(Problem),
    /// Not one of the kinds or levels offered.
    UnknownChoice,
    BadRegion,
    BadPrefix,
    /// A committee numbers its cases with a prefix of its own.
    NeedPrefix,
    /// Another committee numbers with it, or it is the configured one
    /// (which the first committee numbers with).
    PrefixTaken,
    /// No organisation has that id.
    UnknownParent,
    /// Committees sit under associations; nothing sits under a committee.
    ParentNotAssociation,
    /// A retired organisation takes nothing new.
    Retired,
    /// Another organisation under the same parent has that name.
    NameTaken,
    /// The root association stays.
    RootStays,
    /// An association is retired after the organisations under it.
    ActiveChildren,
    /// A committee for an admin, secretary or mediator; an association for
    /// a supervisor.
    WrongKindForRole,
}

/// Every problem of one submission, keyed by the form field name; the
/// first problem of a field is the one told.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgErrors(pub Vec<(String, OrgProblem)>);

impl OrgErrors {
    pub fn add(&mut self, field: &str, problem: OrgProblem) {
        if self.get(field).is_none() {
            self.0.push((field.to_string(), problem));
        }
    }

    pub fn get(&self, field: &str) -> Option<OrgProblem> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, p)| *p)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A new organisation, every field checked (its place in the tree is
/// checked by the store, against the tree, with [`place_problem`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    pub parent_id: i64,
    pub name: String,
    pub region: RegionCode,
    pub kind: NewKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewKind {
    Association(OrgLevel),
    Committee(CasePrefix),
}

impl NewKind {
    pub fn kind(&self) -> OrgKind {
        match self {
            NewKind::Association(_) => OrgKind::Association,
            NewKind::Committee(_) => OrgKind::Committee,
        }
    }
}

/// A new organisation as typed (a form or the command line).
#[derive(Debug, Clone, Default)]
pub struct OrgInput {
    pub kind: String,
    pub parent: String,
    /// An association's level; ignored for a committee.
    pub level: String,
    pub name: String,
    pub region: String,
    /// A committee's prefix; ignored for an association.
    pub prefix: String,
}

/// Checks a name: 1 to [`ORG_NAME_MAX`] characters of one line.
pub fn check_name(errors: &mut OrgErrors, field: &str, raw: &str) -> String {
    let (name, problem) = super::fields::check_text(raw, ORG_NAME_MAX, true);
    if let Some(p) = problem {
        errors.add(field, OrgProblem::Text(p));
    }
    name
}

/// Checks a region code (see [`RegionCode::parse`]).
pub fn check_region(errors: &mut OrgErrors, field: &str, raw: &str) -> Option<RegionCode> {
    if raw.trim().is_empty() {
        errors.add(field, OrgProblem::Text(Problem::Required));
        return None;
    }
    RegionCode::parse(raw)
        .map_err(|_| errors.add(field, OrgProblem::BadRegion))
        .ok()
}

impl OrgInput {
    /// The checked organisation, or every field's problem. `configured`
    /// is the configured case prefix, which no new committee may take.
    pub fn check(&self, configured: &str) -> Result<NewOrg, OrgErrors> {
        let mut errors = OrgErrors::default();
        let kind = OrgKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", OrgProblem::UnknownChoice);
        }
        let parent = self.parent.trim().parse::<i64>().ok();
        if parent.is_none() {
            errors.add("parent", OrgProblem::UnknownParent);
        }
        let name = check_name(&mut errors, "name", &self.name);
        let region = check_region(&mut errors, "region", &self.region);
        let new_kind = match kind {
            Some(OrgKind::Association) => match OrgLevel::from_code(self.level.trim()) {
                Some(level) => Some(NewKind::Association(level)),
                None => {
                    errors.add("level", OrgProblem::UnknownChoice);
                    None
                }
            },
            Some(OrgKind::Committee) => match self.prefix.trim() {
                "" => {
                    errors.add("prefix", OrgProblem::NeedPrefix);
                    None
                }
                p if p == configured.trim() => {
                    errors.add("prefix", OrgProblem::PrefixTaken);
                    None
                }
                p => match CasePrefix::parse(p) {
                    Ok(prefix) => Some(NewKind::Committee(prefix)),
                    Err(_) => {
                        errors.add("prefix", OrgProblem::BadPrefix);
                        None
                    }
                },
            },
            None => None,
        };
        match (parent, region, new_kind, errors.is_empty()) {
            (Some(parent_id), Some(region), Some(kind), true) => Ok(NewOrg {
                parent_id,
                name,
                region,
                kind,
            }),
            _ => Err(errors),
        }
    }
}

/// What is wrong with putting a `kind` under a parent of `parent_kind`
/// (retired or not). Associations and committees both sit under
/// associations; a retired one takes nothing new.
pub fn place_problem(parent_kind: OrgKind, parent_retired: bool) -> Option<OrgProblem> {
    if parent_kind != OrgKind::Association {
        Some(OrgProblem::ParentNotAssociation)
    } else if parent_retired {
        Some(OrgProblem::Retired)
    } else {
        None
    }
}

/// Why an organisation may not be retired: the root, or an association
/// with organisations under it still working.
pub fn retire_problem(is_root: bool, active_children: i64) -> Option<OrgProblem> {
    if is_root {
        Some(OrgProblem::RootStays)
    } else if active_children > 0 {
        Some(OrgProblem::ActiveChildren)
    } else {
        None
    }
}

/// Whether a user of `role` may work in an organisation of `kind`: a
/// supervisor at an association, everyone else in a committee.
pub fn fits_role(role: Role, kind: OrgKind) -> bool {
    (role == Role::Supervisor) == (kind == OrgKind::Association)
}

/// The problem, if any, with placing a user of `role` in an organisation
/// of `kind` (retired or not).
pub fn user_place_problem(role: Role, kind: OrgKind, retired: bool) -> Option<OrgProblem> {
    if !fits_role(role, kind) {
        Some(OrgProblem::WrongKindForRole)
    } else if retired {
        Some(OrgProblem::Retired)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(kind: &str, prefix: &str) -> OrgInput {
        OrgInput {
            kind: kind.into(),
            parent: "1".into(),
            level: "city".into(),
            name: " 朝阳区物业纠纷调解委员会 ".into(),
            region: "110105".into(),
            prefix: prefix.into(),
        }
    }

    #[test]
    fn a_new_committee_needs_a_prefix_of_its_own() {
        let ok = typed("committee", "朝调").check("物调").unwrap();
        assert_eq!(ok.name, "朝阳区物业纠纷调解委员会");
        assert_eq!(ok.kind, NewKind::Committee(CasePrefix::parse("朝调").unwrap()));
        let errs = typed("committee", "").check("物调").unwrap_err();
        assert_eq!(errs.get("prefix"), Some(OrgProblem::NeedPrefix));
        let errs = typed("committee", "物调").check("物调").unwrap_err();
        assert_eq!(errs.get("prefix"), Some(OrgProblem::PrefixTaken));
    }

    #[test]
    fn a_new_association_needs_a_level_and_every_field_is_told() {
        let mut t = typed("association", "");
        assert!(t.check("物调").is_ok());
        t.level = "county".into();
        t.region = "99".into();
        t.name = String::new();
        let errs = t.check("物调").unwrap_err();
        assert_eq!(errs.get("level"), Some(OrgProblem::UnknownChoice));
        assert_eq!(errs.get("region"), Some(OrgProblem::BadRegion));
        assert_eq!(errs.get("name"), Some(OrgProblem::Text(Problem::Required)));
    }

    #[test]
    fn supervisors_sit_at_associations_and_everyone_else_in_committees() {
        assert!(fits_role(Role::Supervisor, OrgKind::Association));
        assert!(!fits_role(Role::Supervisor, OrgKind::Committee));
        for r in [Role::Admin, Role::Secretary, Role::Mediator] {
            assert!(fits_role(r, OrgKind::Committee));
            assert!(!fits_role(r, OrgKind::Association));
        }
        assert_eq!(
            place_problem(OrgKind::Committee, false),
            Some(OrgProblem::ParentNotAssociation)
        );
        assert_eq!(retire_problem(true, 0), Some(OrgProblem::RootStays));
        assert_eq!(retire_problem(false, 1), Some(OrgProblem::ActiveChildren));
    }

    #[test]
    fn a_region_code_is_six_digits_of_a_province() {
        assert_eq!(RegionCode::parse(" 110105 ").unwrap().as_str(), "110105");
        assert_eq!(RegionCode::parse("820000").unwrap().as_str(), "820000");
        for bad in ["", "11010", "1101050", "11010x", "000000", "990000", "１１０１０５"] {
            assert_eq!(RegionCode::parse(bad), Err(RegionCodeError), "{bad:?}");
        }
    }

    #[test]
    fn a_case_prefix_is_a_short_word_without_digits_or_brackets() {
        assert_eq!(CasePrefix::parse(" 朝调 ").unwrap().as_str(), "朝调");
        for bad in ["", "朝 调", "调1", "调〔", "一二三四五六七八九十一"] {
            assert_eq!(CasePrefix::parse(bad), Err(CasePrefixError), "{bad:?}");
        }
    }
}
