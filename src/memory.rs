//! Keeping the server's resident memory small (issue 12).
//!
//! glibc's malloc gives each thread that allocates at once an arena of its
//! own (up to eight per core) and keeps what is freed in them for reuse:
//! after a few big pages (a year of statistics, a long case list) the
//! server held 600 MB to 1 GB that it no longer used. Two arenas are
//! plenty for a 2-core server, and `malloc_trim` hands freed pages back
//! to the kernel. Elsewhere than glibc these do nothing.

/// Limits glibc to two malloc arenas. Call before any thread starts.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator; called before
    // the runtime's threads exist, nothing allocates concurrently.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Returns the allocator's free memory to the kernel.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim is thread-safe (it locks each arena in turn).
    unsafe {
        libc::malloc_trim(0);
    }
}
