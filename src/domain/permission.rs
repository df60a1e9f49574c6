//! What each role may do: one list, one check. Which *cases* a mediator
//! sees is a separate rule (the store's `Scope`); this is about actions.

use super::Role;

/// Something a signed-in user may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Register and edit cases, run workflow actions, record sessions and visits.
    ChangeCases,
    /// See parties' phone numbers.
    SeePhones,
    /// See parties' ID numbers whole on screens (everyone else sees them
    /// masked; printed documents carry them whole).
    SeeIdNumbers,
    /// The association's dashboard figures and the annual report.
    ReadReports,
    /// Add and edit mediator records.
    ManageMediators,
    /// Add users, change roles, reset passwords.
    ManageUsers,
    /// Rename, add and retire reference-list codes.
    ManageReference,
    /// Read the audit log.
    ReadAudit,
    /// Import cases from CSV.
    Import,
    /// Download a backup of the database.
    Backup,
    /// Void a case registered by mistake, and unarchive an archived case.
    VoidCases,
    /// A supervisor's added-up figures of the committees under their
    /// association (issue 15): dashboard, annual report, statistics CSV and
    /// the case list without personal data. Nothing of any one case's file.
    Oversee,
}

impl Role {
    /// The one permission table.
    pub fn may(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            // An admin sees their own committee's cases; the oversight
            // pages are a supervisor's.
            Role::Admin => permission != Oversee,
            Role::Secretary => matches!(permission, ReadReports | ManageMediators),
            Role::Mediator => matches!(permission, ChangeCases | SeePhones),
            // Added-up figures only, never a committee's pages (issue 15).
            Role::Supervisor => permission == Oversee,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secretaries_read_and_manage_mediators_but_change_no_case() {
        assert!(Role::Secretary.may(Permission::ReadReports));
        assert!(Role::Secretary.may(Permission::ManageMediators));
        assert!(!Role::Secretary.may(Permission::ChangeCases));
        assert!(!Role::Secretary.may(Permission::SeePhones));
    }

    #[test]
    fn supervisors_oversee_and_do_nothing_else() {
        assert!(Role::Supervisor.may(Permission::Oversee));
        for p in [
            Permission::ChangeCases,
            Permission::SeePhones,
            Permission::SeeIdNumbers,
            Permission::ReadReports,
            Permission::ManageMediators,
            Permission::ManageUsers,
            Permission::ManageReference,
            Permission::ReadAudit,
            Permission::Import,
            Permission::Backup,
            Permission::VoidCases,
        ] {
            assert!(!Role::Supervisor.may(p), "{p:?}");
        }
        for role in [Role::Admin, Role::Secretary, Role::Mediator] {
            assert!(!role.may(Permission::Oversee), "{role:?}");
        }
    }

    #[test]
    fn mediators_change_cases_and_nothing_of_the_association() {
        assert!(Role::Mediator.may(Permission::ChangeCases));
        for p in [
            Permission::ReadReports,
            Permission::ManageMediators,
            Permission::ManageUsers,
            Permission::Import,
            Permission::Backup,
            Permission::ReadAudit,
            Permission::VoidCases,
        ] {
            assert!(!Role::Mediator.may(p), "{p:?}");
        }
    }
}
