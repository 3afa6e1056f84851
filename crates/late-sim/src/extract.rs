//! Request parsing helpers that answer bad input with proper `ErrorResponse`s (never panics).

use std::collections::BTreeMap;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The request body parsed as a JSON object.
pub(crate) struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                ApiError::bad_request("invalid_body", "The request body could not be read.")
            })?;
        parse_object(&bytes).map(JsonObject)
    }
}

/// Parses bytes as a JSON object.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ApiError::bad_request(
            "invalid_json",
            "A JSON request body is required.",
        ));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::bad_request(
            "invalid_json",
            "The request body must be a JSON object.",
        )),
        Err(e) => Err(ApiError::bad_request(
            "invalid_json",
            format!("The request body is not valid JSON: {e}"),
        )),
    }
}

/// The query string as a map (last value wins for repeated names).
pub(crate) struct Query(pub BTreeMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        Ok(Query(
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ))
    }
}

impl Query {
    /// A non-empty string parameter.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
    }

    /// An integer parameter within `min..=max`.
    pub fn int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(s) => match s.trim().parse::<i64>() {
                Ok(n) if n >= min && n <= max => Ok(Some(n)),
                _ => Err(ApiError::invalid(
                    name,
                    format!("{name} must be an integer between {min} and {max}"),
                )),
            },
        }
    }

    /// A boolean parameter (`true`/`false` in any case).
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::invalid(
                name,
                format!("{name} must be true or false"),
            )),
        }
    }

    /// Refuses parameters outside `allowed`.
    pub fn only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        match self.0.keys().find(|k| !allowed.contains(&k.as_str())) {
            None => Ok(()),
            Some(k) => Err(ApiError::bad_request(
                "unknown_parameter",
                format!(
                    "Unknown query parameter `{k}`. Accepted: {}.",
                    allowed.join(", ")
                ),
            )
            .param(k)),
        }
    }
}

/// Typed field access on a JSON object body.
pub(crate) trait Fields {
    /// An optional string field (`null` counts as absent).
    fn opt_str(&self, name: &str) -> Result<Option<String>, ApiError>;
    /// A required non-empty string field.
    fn req_str(&self, name: &str) -> Result<String, ApiError>;
    /// An optional boolean field.
    fn opt_bool(&self, name: &str) -> Result<Option<bool>, ApiError>;
    /// An optional array of strings.
    fn opt_str_array(&self, name: &str) -> Result<Option<Vec<String>>, ApiError>;
    /// Whether the field is present with an explicit `null`.
    fn is_null(&self, name: &str) -> bool;
}

impl Fields for Map<String, Value> {
    fn opt_str(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid(name, format!("{name} must be a string"))),
        }
    }

    fn req_str(&self, name: &str) -> Result<String, ApiError> {
        match self.opt_str(name)? {
            Some(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            _ => Err(ApiError::missing(name)),
        }
    }

    fn opt_bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::invalid(name, format!("{name} must be a boolean"))),
        }
    }

    fn opt_str_array(&self, name: &str) -> Result<Option<Vec<String>>, ApiError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_string).ok_or_else(|| {
                        ApiError::invalid(name, format!("{name} must be an array of strings"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(ApiError::invalid(
                name,
                format!("{name} must be an array of strings"),
            )),
        }
    }

    fn is_null(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Value::Null))
    }
}

/// Whether `s` is an absolute `http(s)` URL with a host.
pub(crate) fn is_http_url(s: &str) -> bool {
    url::Url::parse(s)
        .map(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        })
        .unwrap_or(false)
}
