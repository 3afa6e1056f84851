//! The send loop: the client's configuration and the transport, which carries one call through
//! pacing, attempts, retries, decompression and the observer.

pub(crate) mod config;
pub(crate) mod transport;
