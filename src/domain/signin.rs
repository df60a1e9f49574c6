//! Sign-in rules: how long a username may be, and how long a client waits
//! after failing. Delays grow with each failure instead of locking an
//! account, and they are kept per (username, client address) and per client
//! address, so a stranger's failures never hold up anyone else.

/// Usernames are cut to this many characters before anything is stored.
pub const MAX_USERNAME_CHARS: usize = 64;

/// Failures are counted over this many seconds (one hour).
pub const WINDOW_SECS: i64 = 3600;

/// Failures of one username from one address before it waits.
pub const FREE_PER_USER: i64 = 5;

/// Failures from one address, whatever the usernames, before it waits.
pub const FREE_PER_CLIENT: i64 = 10;

/// The first wait, doubled by every further failure up to [`MAX_WAIT_SECS`].
pub const FIRST_WAIT_SECS: i64 = 60;

/// The longest wait: 15 minutes.
pub const MAX_WAIT_SECS: i64 = 15 * 60;

/// A typed username as stored and looked up: trimmed, at most
/// [`MAX_USERNAME_CHARS`] characters.
pub fn username(typed: &str) -> String {
    typed.trim().chars().take(MAX_USERNAME_CHARS).collect()
}

/// Recent failures of one key (a username from an address, or an address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    pub count: i64,
    /// When the last one happened, unix seconds.
    pub last_at: i64,
}

impl Failures {
    /// Seconds still to wait at `now`, given the failures allowed for free.
    pub fn wait_secs(self, free: i64, now: i64) -> i64 {
        if self.count < free {
            return 0;
        }
        let doublings = u32::try_from(self.count - free).unwrap_or(u32::MAX).min(10);
        let wait = (FIRST_WAIT_SECS << doublings).min(MAX_WAIT_SECS);
        (self.last_at + wait - now).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_the_free_failures_and_double_up_to_fifteen_minutes() {
        let f = |count| Failures { count, last_at: 1000 };
        assert_eq!(f(4).wait_secs(FREE_PER_USER, 1000), 0);
        assert_eq!(f(5).wait_secs(FREE_PER_USER, 1000), 60);
        assert_eq!(f(6).wait_secs(FREE_PER_USER, 1000), 120);
        assert_eq!(f(6).wait_secs(FREE_PER_USER, 1100), 20);
        assert_eq!(f(9).wait_secs(FREE_PER_USER, 1000), 900);
        assert_eq!(f(1000).wait_secs(FREE_PER_USER, 1000), 900);
        assert_eq!(f(1000).wait_secs(FREE_PER_USER, 1900), 0);
    }

    #[test]
    fn usernames_are_trimmed_and_cut() {
        assert_eq!(username("  li "), "li");
        assert_eq!(username(&"名".repeat(100)).chars().count(), MAX_USERNAME_CHARS);
    }
}
