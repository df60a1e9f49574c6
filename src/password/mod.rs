//! Password hashing with argon2, off the async threads.

use std::sync::atomic::{AtomicBool, Ordering};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

mod pool;

pub use pool::{HashPool, PoolFull};

/// The shortest password accepted.
pub const MIN_LEN: usize = 10;

/// Set once by the test harness: hashes made afterwards use argon2's
/// smallest parameters. Production never sets it.
static TEST_COST: AtomicBool = AtomicBool::new(false);

/// Makes new hashes cheap (8 KiB, one pass) for the rest of the process. For
/// test suites, which create hundreds of users; a hash records its own
/// parameters, so verifying stays correct either way.
pub fn use_test_cost() {
    TEST_COST.store(true, Ordering::Relaxed);
}

fn hasher() -> Argon2<'static> {
    if TEST_COST.load(Ordering::Relaxed) {
        let params = Params::new(8, 1, 1, None).expect("argon2's minimum parameters are valid");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    } else {
        Argon2::default()
    }
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with valid parameters cannot fail")
        .to_string()
}

/// Checks a password against a hash, with the parameters the hash records.
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Hashes on a blocking thread: argon2 is deliberately slow.
pub async fn hash_async(password: String) -> String {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .expect("hashing does not panic")
}

/// A random password of 16 letters and digits, for the first admin.
pub fn generate() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..16).map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_only_its_password() {
        let h = super::hash("correct horse");
        assert!(super::verify("correct horse", &h));
        assert!(!super::verify("wrong horse", &h));
        assert_eq!(super::generate().len(), 16);
    }
}
