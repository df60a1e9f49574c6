//! The tree's rules (issue 15): what a new organisation must be, where it
//! may sit, when it may retire, and who may work in it. The web and the
//! command line check them the same way.

use super::{CasePrefix, OrgKind, OrgLevel, RegionCode};
use crate::domain::Role;
use crate::domain::fields::Problem;

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
    let (name, problem) = crate::domain::fields::check_text(raw, ORG_NAME_MAX, true);
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
}
