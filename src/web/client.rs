//! Who is asking: the client's IP address, for sign-in throttling and the
//! audit log.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::Extensions;
use axum::http::HeaderMap;

/// The socket's peer, or, when that peer is one of `trusted` proxies, the
/// last address in `X-Forwarded-For` that is not itself a trusted proxy.
/// Without connection info (a request built in-process) the peer is taken
/// to be 127.0.0.1.
pub fn client_ip(headers: &HeaderMap, extensions: &Extensions, trusted: &[IpAddr]) -> IpAddr {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    // Each proxy appends the address it saw, so read from the right and
    // stop at the first address no trusted proxy vouches for.
    forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer)
}

/// One sign-in at a time per client address, so that many tries sent at
/// once cannot all pass the throttle check before the first failure is
/// recorded. Addresses share a fixed set of locks (a few unrelated ones wait
/// for each other now and then; nothing grows with the number of clients).
#[derive(Debug)]
pub struct SignInGate {
    locks: Vec<tokio::sync::Mutex<()>>,
}

impl Default for SignInGate {
    fn default() -> Self {
        SignInGate {
            locks: (0..64).map(|_| tokio::sync::Mutex::new(())).collect(),
        }
    }
}

impl SignInGate {
    /// Waits for the address's turn; the turn lasts as long as the guard.
    pub async fn enter(&self, client: IpAddr) -> tokio::sync::MutexGuard<'_, ()> {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(client);
        let index = usize::try_from(hash % self.locks.len() as u64).unwrap_or(0);
        self.locks[index].lock().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(peer: &str) -> Extensions {
        let mut e = Extensions::new();
        e.insert(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 40000)));
        e
    }

    fn xff(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", value.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let h = xff("203.0.113.9, 198.51.100.7");
        assert_eq!(client_ip(&h, &ext("10.0.0.1"), &[proxy]).to_string(), "198.51.100.7");
        assert_eq!(client_ip(&h, &ext("10.0.0.2"), &[proxy]).to_string(), "10.0.0.2");
        assert_eq!(client_ip(&h, &ext("10.0.0.1"), &[]).to_string(), "10.0.0.1");
        assert_eq!(
            client_ip(&xff("garbage"), &ext("10.0.0.1"), &[proxy]).to_string(),
            "10.0.0.1"
        );
        assert_eq!(client_ip(&h, &Extensions::new(), &[]).to_string(), "127.0.0.1");
    }
}
