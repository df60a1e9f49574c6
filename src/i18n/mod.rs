//! The message catalogue: every string a person sees, in Simplified Chinese
//! and English. Views name messages by key (`Msg::NavCases`); a missing
//! translation is a compile error, not a blank on the page.

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

mod catalogue;
mod labels;

pub use crate::domain::Lang;
pub use catalogue::Msg;
pub use labels::{Label, problem_text};

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
