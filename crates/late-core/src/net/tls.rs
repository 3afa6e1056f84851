//! TLS: whom the client trusts, how sessions are resumed, and what a certificate failure says.
//!
//! Trust is the platform's store (rustls-platform-verifier) **plus** extra roots: the PEM
//! certificates the caller gives (the facade passes `NODE_EXTRA_CA_CERTS` and the `ca` option).
//! The platform store is loaded on the first handshake, not when the client is built, so a client
//! that only talks plain HTTP (the simulator) or is created and never used costs nothing.
//!
//! Sessions: rustls resumes TLS 1.3 sessions with single-use tickets, and a server sends a few per
//! handshake. The store here keeps up to [`TICKETS_PER_SERVER`] of them per server (rustls'
//! built-in store keeps 8), so the pool's later connections resume instead of paying a full
//! handshake.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, NamedGroup, SignatureScheme};

use crate::base::error::{Error, Result};

/// TLS 1.3 tickets kept per server.
pub(crate) const TICKETS_PER_SERVER: usize = 64;
/// Servers remembered by the session store (the API's origin and a few upload hosts).
const SERVERS: usize = 32;

/// Parses every `CERTIFICATE` block of a PEM text. `source` names where it came from
/// (`ca`, `NODE_EXTRA_CA_CERTS`) for the error.
pub fn parse_pem_roots(pem: &[u8], source: &str) -> Result<Vec<CertificateDer<'static>>> {
    let mut out = Vec::new();
    for item in CertificateDer::pem_slice_iter(pem) {
        let cert = item.map_err(|e| {
            Error::validation(source, format!("is not a valid PEM certificate list ({e})"))
        })?;
        out.push(cert);
    }
    if out.is_empty() {
        return Err(Error::validation(
            source,
            "contains no PEM certificate (`-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----`)",
        ));
    }
    // Each one must be a usable trust anchor, so a bad file fails now, naming its source,
    // instead of at the first handshake.
    let mut probe = rustls::RootCertStore::empty();
    for (i, cert) in out.iter().enumerate() {
        probe.add(cert.clone()).map_err(|e| {
            Error::validation(
                source,
                format!(
                    "certificate #{} cannot be used as a trusted root ({e})",
                    i + 1
                ),
            )
        })?;
    }
    Ok(out)
}

/// The platform's verifier plus extra roots, built on first use.
#[derive(Debug)]
pub(crate) struct LazyVerifier {
    provider: Arc<CryptoProvider>,
    extra_roots: Vec<CertificateDer<'static>>,
    inner: OnceLock<std::result::Result<Arc<dyn ServerCertVerifier>, rustls::Error>>,
}

impl LazyVerifier {
    /// A verifier that trusts the platform store and `extra_roots`.
    pub fn new(provider: Arc<CryptoProvider>, extra_roots: Vec<CertificateDer<'static>>) -> Self {
        Self {
            provider,
            extra_roots,
            inner: OnceLock::new(),
        }
    }

    fn inner(&self) -> std::result::Result<&Arc<dyn ServerCertVerifier>, rustls::Error> {
        self.inner
            .get_or_init(|| {
                #[cfg(not(target_os = "android"))]
                let v = rustls_platform_verifier::Verifier::new_with_extra_roots(
                    self.extra_roots.iter().cloned(),
                    self.provider.clone(),
                );
                #[cfg(target_os = "android")]
                let v = rustls_platform_verifier::Verifier::new(self.provider.clone());
                v.map(|v| Arc::new(v) as Arc<dyn ServerCertVerifier>)
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for LazyVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        self.inner()?
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[derive(Default)]
struct ServerSessions {
    kx_hint: Option<NamedGroup>,
    tls12: Option<Tls12ClientSessionValue>,
    tls13: VecDeque<Tls13ClientSessionValue>,
}

/// An in-memory session store that keeps many TLS 1.3 tickets per server (each used once, as
/// rustls requires), so that the pool's new connections resume.
#[derive(Default)]
pub(crate) struct SessionStore {
    servers: Mutex<(
        HashMap<ServerName<'static>, ServerSessions>,
        VecDeque<ServerName<'static>>,
    )>,
}

impl std::fmt::Debug for SessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionStore")
    }
}

impl SessionStore {
    fn edit<R>(&self, name: &ServerName<'static>, f: impl FnOnce(&mut ServerSessions) -> R) -> R {
        let mut guard = match self.servers.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (map, order) = &mut *guard;
        if !map.contains_key(name) {
            if map.len() >= SERVERS {
                if let Some(oldest) = order.pop_front() {
                    map.remove(&oldest);
                }
            }
            order.push_back(name.clone());
        }
        f(map.entry(name.clone()).or_default())
    }

    fn read<R>(
        &self,
        name: &ServerName<'_>,
        f: impl FnOnce(&mut ServerSessions) -> R,
    ) -> Option<R> {
        let mut guard = match self.servers.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        guard.0.get_mut(&name.to_owned()).map(f)
    }
}

impl ClientSessionStore for SessionStore {
    fn set_kx_hint(&self, server_name: ServerName<'static>, group: NamedGroup) {
        self.edit(&server_name, |s| s.kx_hint = Some(group));
    }

    fn kx_hint(&self, server_name: &ServerName<'_>) -> Option<NamedGroup> {
        self.read(server_name, |s| s.kx_hint).flatten()
    }

    fn set_tls12_session(&self, server_name: ServerName<'static>, value: Tls12ClientSessionValue) {
        self.edit(&server_name, |s| s.tls12 = Some(value));
    }

    fn tls12_session(&self, server_name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        self.read(server_name, |s| s.tls12.clone()).flatten()
    }

    fn remove_tls12_session(&self, server_name: &ServerName<'static>) {
        self.read(server_name, |s| s.tls12 = None);
    }

    fn insert_tls13_ticket(
        &self,
        server_name: ServerName<'static>,
        value: Tls13ClientSessionValue,
    ) {
        self.edit(&server_name, |s| {
            if s.tls13.len() >= TICKETS_PER_SERVER {
                s.tls13.pop_front();
            }
            s.tls13.push_back(value);
        });
    }

    fn take_tls13_ticket(
        &self,
        server_name: &ServerName<'static>,
    ) -> Option<Tls13ClientSessionValue> {
        // Newest first: the freshest ticket is the least likely to have expired.
        self.read(server_name, |s| s.tls13.pop_back()).flatten()
    }
}

/// The rustls client configuration: ring, the lazy platform verifier with `extra_roots`, the
/// session store, and ALPN (`h2` first when HTTP/2 is allowed).
pub(crate) fn client_config(
    extra_roots: Vec<CertificateDer<'static>>,
    http2: bool,
) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(LazyVerifier::new(provider.clone(), extra_roots));
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(format!("TLS setup failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    tls.resumption = rustls::client::Resumption::store(Arc::new(SessionStore::default()));
    tls.alpn_protocols = if http2 {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(tls)
}

/// Finds a rustls error in an error's source chain. tokio-rustls wraps it in an `io::Error`
/// (sometimes inside another one), and `io::Error::source()` skips the error it wraps, so each
/// `io::Error` is opened with `get_ref()`.
pub(crate) fn find_rustls_error<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::Error> {
    let mut src: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = src {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            let inner: &(dyn std::error::Error + 'static) = inner;
            if let Some(tls) = find_rustls_error(inner) {
                return Some(tls);
            }
        }
        src = s.source();
    }
    None
}

/// `DnsName("api.example.com")` → `api.example.com` (rustls' presented names are Debug forms).
fn presented_name(raw: &str) -> &str {
    raw.split_once("(\"")
        .and_then(|(_, rest)| rest.strip_suffix("\")"))
        .unwrap_or(raw)
}

const TRUST_HINT: &str = "if the server uses a private or corporate CA, trust it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem or the `ca` client option";

/// A sentence a user can act on, for a TLS failure.
pub(crate) fn describe(err: &rustls::Error) -> String {
    use CertificateError as C;
    match err {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => format!(
                "TLS certificate check failed: the server's certificate was issued by an unknown authority (unknown issuer); {TRUST_HINT}"
            ),
            C::Expired => "TLS certificate check failed: the server's certificate has expired".into(),
            C::ExpiredContext { time, not_after } => format!(
                "TLS certificate check failed: the server's certificate has expired (valid until {}, now {})",
                unix_date(not_after.as_secs()),
                unix_date(time.as_secs())
            ),
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "TLS certificate check failed: the server's certificate is not valid yet (is the clock right?)".into()
            }
            C::NotValidForName => {
                "TLS certificate check failed: the server's certificate is not valid for this host name (wrong host)".into()
            }
            C::NotValidForNameContext { expected, presented } => format!(
                "TLS certificate check failed: the server's certificate is not valid for `{}` (wrong host; it names {})",
                expected.to_str(),
                if presented.is_empty() {
                    "no host".to_string()
                } else {
                    presented
                        .iter()
                        .map(|p| presented_name(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
            C::Revoked => "TLS certificate check failed: the server's certificate has been revoked".into(),
            C::BadSignature => format!(
                "TLS certificate check failed: a certificate of the server's chain has a bad signature; {TRUST_HINT}"
            ),
            other => format!("TLS certificate check failed: {other:?}; {TRUST_HINT}"),
        },
        rustls::Error::NoApplicationProtocol => {
            "TLS handshake failed: the server accepts neither HTTP/2 nor HTTP/1.1 (ALPN)".into()
        }
        rustls::Error::AlertReceived(alert) => {
            format!("TLS handshake failed: the server sent the alert {alert:?}")
        }
        other => format!("TLS handshake failed: {other}"),
    }
}

/// `YYYY-MM-DD` of a Unix time (UTC), for messages.
fn unix_date(secs: u64) -> String {
    // Civil-from-days (Howard Hinnant's algorithm), for dates after 1970.
    let days = (secs / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_date_is_civil() {
        assert_eq!(unix_date(0), "1970-01-01");
        assert_eq!(unix_date(1_700_000_000), "2023-11-14");
        assert_eq!(unix_date(951_782_400), "2000-02-29");
    }

    #[test]
    fn pem_without_certificates_is_a_validation_error_naming_the_source() {
        let err = parse_pem_roots(b"hello", "ca").unwrap_err();
        assert!(matches!(err, Error::Validation { ref param, .. } if param == "ca"));
        let err = parse_pem_roots(
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "NODE_EXTRA_CA_CERTS",
        )
        .unwrap_err();
        assert!(
            matches!(err, Error::Validation { ref param, .. } if param == "NODE_EXTRA_CA_CERTS")
        );
    }

    #[test]
    fn presented_names_are_plain() {
        assert_eq!(
            presented_name("DnsName(\"api.example.test\")"),
            "api.example.test"
        );
        assert_eq!(presented_name("10.0.0.1"), "10.0.0.1");
    }

    #[test]
    fn a_rustls_error_inside_nested_io_errors_is_found() {
        let inner = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        );
        let outer = std::io::Error::other(inner);
        assert!(matches!(
            find_rustls_error(&outer),
            Some(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer
            ))
        ));
    }

    #[test]
    fn unknown_issuer_names_the_fix() {
        let text = describe(&rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer,
        ));
        assert!(text.contains("unknown issuer"));
        assert!(text.contains("NODE_EXTRA_CA_CERTS") && text.contains("`ca`"));
    }
}
