//! The default profile: found through `GET /v1/profiles` (`isDefault`), once per client.

use serde::Deserialize;

use crate::base::error::{Error, Result};
use crate::wire::request::{Method, Request};
use crate::wire::response::Response;

#[derive(Deserialize)]
struct ProfileRef {
    #[serde(rename = "_id")]
    id: String,
    #[serde(rename = "isDefault", default)]
    is_default: bool,
}

#[derive(Deserialize)]
struct ProfilesPage {
    #[serde(default)]
    profiles: Vec<ProfileRef>,
}

/// The request that lists profiles.
pub(crate) fn list_request() -> Request {
    Request::new(Method::Get, "/v1/profiles")
}

/// Picks the default profile's id from a `GET /v1/profiles` response: the one with
/// `isDefault: true`, else the first (the API lists the default first).
pub fn pick_default(resp: &Response) -> Result<String> {
    let page: ProfilesPage = resp.json()?;
    let pick = page
        .profiles
        .iter()
        .find(|p| p.is_default)
        .or_else(|| page.profiles.first());
    match pick {
        Some(p) if !p.id.is_empty() => Ok(p.id.clone()),
        _ => Err(Error::validation(
            "profileId",
            "was not given and the account has no profile to default to; create one (profiles.create) or pass `profileId`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(body: &'static str) -> Response {
        Response::ok_for_test(body)
    }

    #[test]
    fn picks_is_default_even_when_not_first() {
        let r =
            resp(r#"{"profiles":[{"_id":"a","isDefault":false},{"_id":"b","isDefault":true}]}"#);
        assert_eq!(pick_default(&r).unwrap(), "b");
    }

    #[test]
    fn falls_back_to_first_and_errors_on_none() {
        assert_eq!(
            pick_default(&resp(r#"{"profiles":[{"_id":"a"}]}"#)).unwrap(),
            "a"
        );
        assert!(pick_default(&resp(r#"{"profiles":[]}"#)).is_err());
        assert!(matches!(
            pick_default(&resp("<html>")),
            Err(Error::Decode { .. })
        ));
    }
}
