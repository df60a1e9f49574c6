//! The web's password hashing: a fixed set of worker threads, each with its
//! own argon2 memory, allocated once and reused.
//!
//! Why not `spawn_blocking` around `verify`: argon2 allocates its whole
//! memory (19 MiB at the default cost) for every check, and the allocator
//! keeps much of what was freed on the threads that used it; 100 concurrent
//! bad sign-ins grew the server by hundreds of MB, never given back (issue 9,
//! measured at 350 MB after 18 checks). Here the memory is `workers` buffers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use argon2::password_hash::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Work for a worker: it gets the worker's argon2 memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// Argon2 jobs for the web, bounded: at most `workers` at once, at most
/// `queue` more waiting; beyond that a job is refused (the caller answers
/// 503) rather than piling up.
#[derive(Debug)]
pub struct HashPool {
    jobs: mpsc::Sender<Job>,
    /// Places in the pool: running or waiting.
    places: tokio::sync::Semaphore,
    counts: Arc<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    running: AtomicUsize,
    peak: AtomicUsize,
}

/// Every hashing worker is busy and the queue is full (or no worker runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every password hashing worker is busy")]
pub struct PoolFull;

impl HashPool {
    /// `workers` of 0 means one per CPU core. The workers end when the
    /// pool is dropped.
    pub fn new(workers: usize, queue: usize) -> HashPool {
        let workers = if workers == 0 {
            std::thread::available_parallelism().map_or(1, usize::from)
        } else {
            workers
        };
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let counts = Arc::new(Counts::default());
        for n in 0..workers {
            let rx = rx.clone();
            let counts = counts.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("accord-hash-{n}"))
                .spawn(move || work(&rx, &counts));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing worker");
            }
        }
        HashPool {
            jobs: tx,
            places: tokio::sync::Semaphore::new(workers + queue),
            counts,
        }
    }

    /// The most jobs that ever ran at once.
    pub fn peak(&self) -> usize {
        self.counts.peak.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, PoolFull> {
        let _place = self.places.try_acquire().map_err(|_| PoolFull)?;
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let _ = done.send(job(memory));
        });
        self.jobs.send(job).map_err(|_| PoolFull)?;
        // A worker that panicked drops `done`: that job fails, the pool goes on.
        result.await.map_err(|_| PoolFull)
    }

    /// Hashes a new password (an admin's action; it allocates its own memory).
    pub async fn hash(&self, password: String) -> Result<String, PoolFull> {
        self.run(move |_| super::hash(&password)).await
    }

    /// Checks a password against a hash, in the worker's memory.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, PoolFull> {
        self.run(move |memory| verify_in(&password, &hash, memory)).await
    }
}

/// A worker: takes jobs until the pool is dropped.
fn work(jobs: &Mutex<mpsc::Receiver<Job>>, counts: &Counts) {
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let job = match jobs.lock() {
            Ok(rx) => match rx.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let now = counts.running.fetch_add(1, Ordering::Relaxed) + 1;
        counts.peak.fetch_max(now, Ordering::Relaxed);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut memory)));
        counts.running.fetch_sub(1, Ordering::Relaxed);
        if outcome.is_err() {
            tracing::error!("a password hashing job panicked");
        }
    }
}

/// [`super::verify`], with argon2's memory given rather than allocated.
fn verify_in(password: &str, hash: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) = (Params::try_from(&parsed), Algorithm::try_from(parsed.algorithm)) else {
        return false;
    };
    let Ok(version) = parsed.version.map(Version::try_from).transpose() else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let argon = Argon2::new(algorithm, version.unwrap_or_default(), params);
    let computed = Output::init_with(expected.len(), |out| {
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut memory[..blocks])
            .map_err(|_| argon2::password_hash::Error::Password)
    });
    // `Output` compares in constant time.
    computed.is_ok_and(|c| c == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifying_in_reused_memory_agrees_with_argon2() {
        let mut memory = Vec::new();
        let cheap = {
            use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
            let params = Params::new(8, 1, 1, None).unwrap();
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password(b"correct horse", &SaltString::generate(&mut OsRng))
                .unwrap()
                .to_string()
        };
        let full = super::super::hash("correct horse");
        for h in [&cheap, &full, &cheap] {
            assert!(verify_in("correct horse", h, &mut memory));
            assert!(!verify_in("wrong horse", h, &mut memory));
            assert!(super::super::verify("correct horse", h));
        }
        assert!(!verify_in("correct horse", "not a hash", &mut memory));
    }

    #[tokio::test]
    async fn a_full_pool_refuses_at_once() {
        let pool = HashPool::new(1, 0);
        let slow = super::super::hash("correct horse");
        let first = pool.verify("correct horse".into(), slow.clone());
        let second = pool.verify("correct horse".into(), slow);
        let (a, b) = tokio::join!(first, second);
        assert_eq!((a, b), (Ok(true), Err(PoolFull)));
        assert_eq!(pool.peak(), 1);
    }
}
