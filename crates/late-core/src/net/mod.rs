//! Connections: TLS (rustls over ring, the platform's trust plus extra roots, resumption), the
//! connection counts and cold-burst gate, the pooled HTTP client built from the network settings.

pub(crate) mod connections;
pub(crate) mod http_client;
pub(crate) mod tls;
