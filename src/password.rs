//! Password hashing with argon2, off the async threads.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

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

pub async fn verify_async(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &hash))
        .await
        .unwrap_or(false)
}

/// Argon2 jobs for the web, bounded: at most `workers` at once, at most
/// `queue` more waiting; beyond that a job is refused (the caller answers
/// 503) rather than piling up memory (each job holds about 19 MB).
#[derive(Debug)]
pub struct HashPool {
    workers: tokio::sync::Semaphore,
    queue: tokio::sync::Semaphore,
    running: AtomicUsize,
    peak: AtomicUsize,
}

/// Every hashing worker is busy and the queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every password hashing worker is busy")]
pub struct PoolFull;

impl HashPool {
    /// `workers` of 0 means one per CPU core.
    pub fn new(workers: usize, queue: usize) -> HashPool {
        let workers = if workers == 0 {
            std::thread::available_parallelism().map_or(1, usize::from)
        } else {
            workers
        };
        HashPool {
            workers: tokio::sync::Semaphore::new(workers),
            queue: tokio::sync::Semaphore::new(workers + queue),
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// The most jobs that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, PoolFull> {
        // A place in the queue, or a refusal at once; then a worker.
        let _place = self.queue.try_acquire().map_err(|_| PoolFull)?;
        let _worker = self.workers.acquire().await.map_err(|_| PoolFull)?;
        let now = self.running.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
        let result = tokio::task::spawn_blocking(job).await;
        self.running.fetch_sub(1, Ordering::Relaxed);
        result.map_err(|_| PoolFull)
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> Result<String, PoolFull> {
        self.run(move || hash(&password)).await
    }

    /// Checks a password against a hash.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, PoolFull> {
        self.run(move || verify(&password, &hash)).await
    }
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
