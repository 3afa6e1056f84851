//! `GET /v1/connect/{platform}`: the URL where a customer connects a social account.

use serde_json::{Map, Value};

use crate::api::platform::check_connect_platform;
use crate::base::error::{Error, Result};
use crate::wire::request::{Method, Request};
use crate::wire::response::Response;

/// Parameters of a connect call. `profile_id` is resolved to the default profile by the
/// client when absent.
#[derive(Clone, Debug, Default)]
pub struct ConnectParams {
    /// Profile the account joins.
    pub profile_id: Option<String>,
    /// Absolute http(s) URL the customer's browser returns to (`redirect_url`).
    pub redirect_url: Option<String>,
    /// Instagram only: `instagram_login` (default) or `facebook_login`.
    pub login_method: Option<String>,
    /// White-label flow: Zernio redirects with OAuth data instead of its own picker.
    pub headless: Option<bool>,
    /// Further documented query parameters (`reconnectAccountId`, `scopes`, …), already checked.
    pub extra: Vec<(String, String)>,
}

/// What the connect call returns: `authUrl` renamed to `connectUrl`, other fields unchanged.
#[derive(Clone, Debug)]
pub struct ConnectResult {
    /// JSON object text: `{connectUrl, state, ...}`.
    pub json: String,
}

/// Checks a `redirect_url`: absolute http(s), as the API requires.
pub(crate) fn check_redirect_url(value: &str) -> Result<()> {
    let parsed = url::Url::parse(value).map_err(|_| {
        Error::validation(
            "redirectUrl",
            "must be an absolute http(s) URL, e.g. https://app.example.com/connected",
        )
    })?;
    if parsed.scheme() != "http" && parsed.scheme() != "https" {
        return Err(Error::validation("redirectUrl", "must use http or https"));
    }
    Ok(())
}

/// Checks an id used in a path or query: non-empty, no whitespace or `/`.
pub(crate) fn check_id(param: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::validation(param, "must be a non-empty id"));
    }
    if value
        .chars()
        .any(|c| c.is_whitespace() || c == '/' || c.is_control())
    {
        return Err(Error::validation(
            param,
            "must be an id without spaces or slashes",
        ));
    }
    Ok(())
}

/// Builds the request for `platform` (profile id already resolved).
pub(crate) fn build_request(
    platform: &str,
    profile_id: &str,
    params: &ConnectParams,
) -> Result<Request> {
    check_connect_platform(platform)?;
    check_id("profileId", profile_id)?;
    if let Some(url) = &params.redirect_url {
        check_redirect_url(url)?;
    }
    if let Some(method) = &params.login_method {
        if platform != "instagram" {
            return Err(Error::validation(
                "loginMethod",
                "only applies to instagram",
            ));
        }
        if method != "instagram_login" && method != "facebook_login" {
            return Err(Error::validation(
                "loginMethod",
                "expected `instagram_login` or `facebook_login`",
            ));
        }
    }
    let mut req = Request::new(Method::Get, format!("/v1/connect/{platform}"))
        .query_opt("profileId", Some(profile_id))
        .query_opt("redirect_url", params.redirect_url.as_deref())
        .query_opt("loginMethod", params.login_method.as_deref());
    if let Some(h) = params.headless {
        req.query.push(("headless".into(), h.to_string()));
    }
    req.query.extend(params.extra.iter().cloned());
    Ok(req)
}

/// Maps the response: `authUrl` becomes `connectUrl`. A response with neither a URL nor an
/// account (the API re-enables a disconnected account instead of returning a URL) is an error.
pub fn map_response(resp: &Response) -> Result<ConnectResult> {
    let obj: Map<String, Value> = resp.json()?;
    let has_url = matches!(obj.get("authUrl"), Some(Value::String(_)));
    if !has_url && !obj.contains_key("account") {
        return Err(Error::decode(
            "the connect response has neither `authUrl` nor `account`".to_string(),
            resp.status,
            resp.request_id.clone(),
        ));
    }
    let mut out = Map::with_capacity(obj.len());
    for (k, v) in obj {
        if k == "authUrl" {
            out.insert("connectUrl".into(), v);
        } else {
            out.insert(k, v);
        }
    }
    Ok(ConnectResult {
        json: Value::Object(out).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_uses_real_endpoint_and_snake_case_redirect() {
        let p = ConnectParams {
            redirect_url: Some("https://app.example/cb".into()),
            ..Default::default()
        };
        let r = build_request("instagram", "p1", &p).unwrap();
        assert_eq!(r.path, "/v1/connect/instagram");
        assert_eq!(
            r.query,
            vec![
                ("profileId".into(), "p1".into()),
                ("redirect_url".into(), "https://app.example/cb".into())
            ]
        );
    }

    #[test]
    fn bad_inputs_name_their_parameter() {
        let p = ConnectParams {
            redirect_url: Some("/relative".into()),
            ..Default::default()
        };
        let e = build_request("instagram", "p1", &p).unwrap_err();
        assert!(matches!(e, Error::Validation { ref param, .. } if param == "redirectUrl"));
        let e = build_request("myspace", "p1", &ConnectParams::default()).unwrap_err();
        assert!(matches!(e, Error::Validation { ref param, .. } if param == "platform"));
        let e = build_request("instagram", "", &ConnectParams::default()).unwrap_err();
        assert!(matches!(e, Error::Validation { ref param, .. } if param == "profileId"));
        let p = ConnectParams {
            login_method: Some("password".into()),
            ..Default::default()
        };
        let e = build_request("instagram", "p1", &p).unwrap_err();
        assert!(matches!(e, Error::Validation { ref param, .. } if param == "loginMethod"));
    }
}
