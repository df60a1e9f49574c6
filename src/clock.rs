//! "Today", from a clock that tests can set.

use chrono::{FixedOffset, NaiveDate, Utc};

/// Where today's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, read in the configured time zone.
    System,
    /// A fixed day, for tests.
    Fixed(NaiveDate),
}

impl Clock {
    pub fn today(self, offset: FixedOffset) -> NaiveDate {
        match self {
            Clock::System => Utc::now().with_timezone(&offset).date_naive(),
            Clock::Fixed(day) => day,
        }
    }
}
