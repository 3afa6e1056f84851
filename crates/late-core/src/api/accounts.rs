//! `GET /v1/accounts`, following every page so the caller gets all accounts.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::api::connect::check_id;
use crate::api::platform::check_account_platform;
use crate::base::error::{Error, Result};
use crate::wire::request::{Method, Request};
use crate::wire::response::Response;

/// Filters of the account list. `profile_id` is resolved to the default profile by the
/// client when absent.
#[derive(Clone, Debug, Default)]
pub struct ListAccountsParams {
    /// Only accounts of this profile.
    pub profile_id: Option<String>,
    /// Only accounts of this platform (`instagram`, …).
    pub platform: Option<String>,
    /// `connected` or `disconnected`.
    pub status: Option<String>,
}

impl ListAccountsParams {
    /// Checks the filters before any request is sent.
    pub fn validate(&self) -> Result<()> {
        if let Some(p) = &self.profile_id {
            check_id("profileId", p)?;
        }
        if let Some(p) = &self.platform {
            check_account_platform(p)?;
        }
        if let Some(s) = &self.status {
            if s != "connected" && s != "disconnected" {
                return Err(Error::validation(
                    "status",
                    "expected `connected` or `disconnected`",
                ));
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct Pagination {
    #[serde(rename = "nextCursor", default)]
    next_cursor: Option<String>,
    #[serde(default)]
    page: Option<u64>,
    #[serde(default)]
    pages: Option<u64>,
    #[serde(default)]
    limit: Option<u64>,
}

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow, default)]
    accounts: Vec<&'a RawValue>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

/// Where the next page is, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextPage {
    /// Cursor style: send `cursor` (and `limit`).
    Cursor { cursor: String, limit: Option<u64> },
    /// Page style: send `page` and `limit`.
    Page { page: u64, limit: Option<u64> },
}

/// Builds the first-page request (no paging parameters: the API returns every account then,
/// or starts paginating on its own).
pub(crate) fn first_request(profile_id: &str, params: &ListAccountsParams) -> Request {
    Request::new(Method::Get, "/v1/accounts")
        .query_opt("profileId", Some(profile_id))
        .query_opt("platform", params.platform.as_deref())
        .query_opt("status", params.status.as_deref())
}

/// The request for a following page.
pub(crate) fn next_request(first: &Request, next: &NextPage) -> Request {
    let mut r = first.clone();
    match next {
        NextPage::Cursor { cursor, limit } => {
            if let Some(l) = limit {
                r.query.push(("limit".into(), l.to_string()));
            }
            r.query.push(("cursor".into(), cursor.clone()));
        }
        NextPage::Page { page, limit } => {
            r.query.push(("page".into(), page.to_string()));
            if let Some(l) = limit {
                r.query.push(("limit".into(), l.to_string()));
            }
        }
    }
    r
}

/// Appends this page's accounts (raw JSON, untouched) to `out` and says where the next page is.
pub fn collect_page(resp: &Response, out: &mut Vec<String>) -> Result<Option<NextPage>> {
    let text = std::str::from_utf8(&resp.body).map_err(|_| decode(resp, "is not UTF-8"))?;
    let page: Page<'_> =
        serde_json::from_str(text).map_err(|e| resp.decode_error("an account list", &e))?;
    out.extend(page.accounts.iter().map(|a| a.get().to_string()));
    let Some(p) = page.pagination else {
        return Ok(None);
    };
    if let Some(cursor) = p.next_cursor.filter(|c| !c.is_empty()) {
        return Ok(Some(NextPage::Cursor {
            cursor,
            limit: p.limit,
        }));
    }
    match (p.page, p.pages) {
        (Some(page), Some(pages)) if page < pages => Ok(Some(NextPage::Page {
            page: page + 1,
            limit: p.limit,
        })),
        _ => Ok(None),
    }
}

fn decode(resp: &Response, what: &str) -> Error {
    Error::decode(
        format!(
            "the accounts response {what}: {}",
            crate::base::error::excerpt(&String::from_utf8_lossy(&resp.body), 200)
        ),
        resp.status,
        resp.request_id.clone(),
    )
}

/// Joins raw account objects into one JSON array text.
pub(crate) fn join(accounts: &[String]) -> String {
    let mut s = String::with_capacity(accounts.iter().map(|a| a.len() + 1).sum::<usize>() + 2);
    s.push('[');
    for (i, a) in accounts.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(a);
    }
    s.push(']');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(body: &str) -> Response {
        Response::ok_for_test(body)
    }

    #[test]
    fn unpaginated_list_has_no_next_page() {
        let mut out = vec![];
        let next = collect_page(
            &resp(r#"{"accounts":[{"_id":"a"},{"_id":"b"}],"hasAnalyticsAccess":false}"#),
            &mut out,
        )
        .unwrap();
        assert_eq!(next, None);
        assert_eq!(join(&out), r#"[{"_id":"a"},{"_id":"b"}]"#);
    }

    #[test]
    fn cursor_and_page_styles() {
        let mut out = vec![];
        let next = collect_page(
            &resp(r#"{"accounts":[],"pagination":{"limit":2,"nextCursor":"c1"}}"#),
            &mut out,
        )
        .unwrap();
        assert_eq!(
            next,
            Some(NextPage::Cursor {
                cursor: "c1".into(),
                limit: Some(2)
            })
        );
        let next = collect_page(
            &resp(r#"{"accounts":[],"pagination":{"limit":2,"nextCursor":null}}"#),
            &mut out,
        )
        .unwrap();
        assert_eq!(next, None);
        let next = collect_page(
            &resp(r#"{"accounts":[],"pagination":{"page":1,"pages":3,"limit":2,"total":5}}"#),
            &mut out,
        )
        .unwrap();
        assert_eq!(
            next,
            Some(NextPage::Page {
                page: 2,
                limit: Some(2)
            })
        );
        let next = collect_page(
            &resp(r#"{"accounts":[],"pagination":{"page":3,"pages":3}}"#),
            &mut out,
        )
        .unwrap();
        assert_eq!(next, None);
    }

    #[test]
    fn filters_are_validated() {
        let p = ListAccountsParams {
            status: Some("active".into()),
            ..Default::default()
        };
        assert!(
            matches!(p.validate(), Err(Error::Validation { ref param, .. }) if param == "status")
        );
        let p = ListAccountsParams {
            profile_id: Some("".into()),
            ..Default::default()
        };
        assert!(
            matches!(p.validate(), Err(Error::Validation { ref param, .. }) if param == "profileId")
        );
    }

    #[test]
    fn non_json_is_a_decode_error() {
        assert!(matches!(
            collect_page(&resp("oops"), &mut vec![]),
            Err(Error::Decode { .. })
        ));
    }
}
