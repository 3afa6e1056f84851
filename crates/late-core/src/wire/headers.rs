//! Which headers a caller may set (client `defaultHeaders`, per-call and per-request headers).
//!
//! The transport owns the headers that frame the message or the connection: a caller's
//! `content-length` would truncate the body or stall the request, a `transfer-encoding`,
//! `host` or `connection` would corrupt the request or the pooled connection. They are refused
//! by validation, like names and values that are not valid HTTP, before anything is sent.

use crate::base::error::{Error, Result};

/// Header names a caller may not set: the message framing, the hop-by-hop headers of RFC 9110
/// §7.6.1 and `host`. Compared case-insensitively. The one owner of the list: the JS facade
/// reads it through the addon's `framingHeaders()` (lib/validate.js), so that a refused header
/// fails before anything is sent, with the same message.
pub const FRAMING_HEADERS: [&str; 10] = [
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
    "expect",
];

/// Checks one caller-supplied header: a valid name that is not a framing header, and a value
/// without line breaks or other control characters. `param` names the option in errors.
pub(crate) fn check(param: &str, name: &str, value: &str) -> Result<()> {
    parse(param, name, value).map(|_| ())
}

/// One caller-supplied header, checked as [`check`] does, as the name and value to send.
pub(crate) fn parse(
    param: &str,
    name: &str,
    value: &str,
) -> Result<(http::HeaderName, http::HeaderValue)> {
    let parsed = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        Error::validation(
            param,
            format!("`{}` is not a valid header name", short(name)),
        )
    })?;
    if FRAMING_HEADERS.contains(&parsed.as_str()) {
        return Err(Error::validation(
            format!("{param}.{}", parsed.as_str()),
            format!(
                "`{}` frames the message or the connection and is set by the client; it cannot be sent by hand",
                parsed.as_str()
            ),
        ));
    }
    let value = http::HeaderValue::from_str(value).map_err(|_| {
        Error::validation(
            param,
            format!(
                "the value of `{}` is not a valid header value",
                parsed.as_str()
            ),
        )
    })?;
    Ok((parsed, value))
}

/// Checks every header of a list (see [`check`]).
pub(crate) fn check_all(param: &str, headers: &[(String, String)]) -> Result<()> {
    headers.iter().try_for_each(|(n, v)| check(param, n, v))
}

fn short(name: &str) -> String {
    crate::base::error::excerpt(name, 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_and_hop_by_hop_headers_are_refused_in_any_case() {
        for name in [
            "Content-Length",
            "transfer-encoding",
            "HOST",
            "Connection",
            "Keep-Alive",
            "TE",
            "Upgrade",
        ] {
            let err = check("headers", name, "1").unwrap_err();
            assert!(
                matches!(err, Error::Validation { ref param, .. } if param.starts_with("headers.")),
                "{name}: {err:?}"
            );
        }
        assert!(check("headers", "x-custom", "ok").is_ok());
        assert!(check("headers", "content-type", "application/json").is_ok());
    }

    #[test]
    fn bad_names_and_values_are_refused() {
        assert!(check("headers", "bad name", "x").is_err());
        assert!(check("headers", "x-a", "a\r\nX-Injected: 1").is_err());
        assert!(check("headers", "x-a", "a\0b").is_err());
    }
}
