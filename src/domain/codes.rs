//! Closed lists of codes (a status, a role, a fulfilment ...), each an enum
//! stored as its code in a TEXT column. Reading a row decodes the code into
//! the enum, so a code never travels through the program as a string, and
//! there is no fallback: the schema's CHECK constraints keep the columns to
//! the known codes.

/// Defines a closed list of codes with `ALL`, `code` and `from_code`, its
/// SQL encoding (the code as text) and its serde form (the code).
macro_rules! codes {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
        #[sqlx(type_name = "text", rename_all = "snake_case")]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            /// The value of a code typed by a person or read from a file.
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        impl $crate::domain::codes::Coded for $name {
            fn all() -> &'static [$name] {
                Self::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
        }
    };
}

/// A closed list of codes, so a form can offer every choice of any of them
/// and a file format can list them.
pub trait Coded: Copy + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
}

#[cfg(test)]
mod tests {
    use crate::domain::workflow::{AgreementType, Fulfilment, Judicial, SessionMode};
    use crate::domain::{PartyRole, Role, Status};

    /// The code and the column's text are the same string: sqlx's
    /// `rename_all` and our `code` must never disagree.
    #[tokio::test]
    async fn every_code_reads_back_from_sqlite_as_its_enum() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        macro_rules! round_trip {
            ($($t:ty),*) => {$(
                for v in <$t>::ALL {
                    let text: String = sqlx::query_scalar("SELECT ?").bind(*v).fetch_one(&pool).await.unwrap();
                    assert_eq!(text, v.code());
                    let back: $t = sqlx::query_scalar("SELECT ?").bind(v.code()).fetch_one(&pool).await.unwrap();
                    assert_eq!(back, *v);
                }
            )*};
        }
        round_trip!(
            Status,
            Role,
            PartyRole,
            AgreementType,
            Fulfilment,
            Judicial,
            SessionMode
        );
        let bad: Result<Status, _> = sqlx::query_scalar("SELECT 'lost'").fetch_one(&pool).await;
        assert!(bad.is_err(), "an unknown code is an error, not a default");
    }
}
