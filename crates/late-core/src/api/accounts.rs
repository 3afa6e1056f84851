//! `GET /v1/accounts`: the filters and the request of one page. Following the pages is the JS
//! facade's (`collectAccounts` in lib/client.js, with `nextQuery` of lib/pagination.js), the
//! one owner of pagination and of its page limit.

use crate::api::connect::check_id;
use crate::api::platform::check_account_platform;
use crate::base::error::{Error, Result};
use crate::wire::request::{Method, Request};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
