//! Platform identifiers, checked before any request is sent.

use crate::base::error::{Error, Result};

/// Platforms accepted by `GET /v1/connect/{platform}` (spec 1.444.0, operation `getConnectUrl`).
pub(crate) const CONNECT_PLATFORMS: &[&str] = &[
    "facebook",
    "instagram",
    "linkedin",
    "twitter",
    "tiktok",
    "youtube",
    "threads",
    "reddit",
    "pinterest",
    "bluesky",
    "googlebusiness",
    "telegram",
    "snapchat",
    "discord",
    "slack",
    "whatsapp",
    "google",
    "microsoft",
];

/// Values of `SocialAccount.platform` (spec 1.444.0), used to check the `platform` filter.
pub(crate) const ACCOUNT_PLATFORMS: &[&str] = &[
    "tiktok",
    "instagram",
    "facebook",
    "youtube",
    "linkedin",
    "twitter",
    "threads",
    "pinterest",
    "reddit",
    "bluesky",
    "googlebusiness",
    "telegram",
    "snapchat",
    "discord",
    "slack",
    "whatsapp",
    "shopify",
    "wordpress",
    "wix",
    "linkedinads",
    "metaads",
    "pinterestads",
    "tiktokads",
    "xads",
    "googleads",
    "openaiads",
    "redditads",
    "sms",
    "phone",
    "rcs",
    "whopads",
    "google",
    "microsoft",
    "hubspot",
    "webflow",
    "googleanalytics",
    "imessage",
    "tiktokshop",
    "microsoftads",
];

/// Whether `id` is a platform the connect endpoint accepts.
pub(crate) fn is_connect_platform(id: &str) -> bool {
    CONNECT_PLATFORMS.contains(&id)
}

fn hint(id: &str) -> String {
    if id.len() > 64 {
        return String::new();
    }
    match id.to_ascii_lowercase().as_str() {
        "x" | "x.com" => " (X is `twitter`)".to_string(),
        "google_business" | "gbp" | "google-business" => {
            " (Google Business Profile is `googlebusiness`)".to_string()
        }
        lower if lower != id => format!(" (ids are lower-case: `{lower}`?)"),
        _ => String::new(),
    }
}

/// Checks a platform for `connect`, naming the parameter and listing the accepted values.
pub(crate) fn check_connect_platform(id: &str) -> Result<()> {
    if is_connect_platform(id) {
        return Ok(());
    }
    Err(Error::validation(
        "platform",
        format!(
            "`{}` is not a platform that can be connected{}; expected one of: {}",
            crate::base::error::excerpt(id, 64),
            hint(id),
            CONNECT_PLATFORMS.join(", ")
        ),
    ))
}

/// Checks a `platform` filter of the account list.
pub(crate) fn check_account_platform(id: &str) -> Result<()> {
    if ACCOUNT_PLATFORMS.contains(&id) {
        return Ok(());
    }
    Err(Error::validation(
        "platform",
        format!(
            "`{}` is not a known account platform{}; expected one of: {}",
            crate::base::error::excerpt(id, 64),
            hint(id),
            ACCOUNT_PLATFORMS.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instagram_is_connectable_and_x_gets_a_hint() {
        assert!(check_connect_platform("instagram").is_ok());
        let msg = check_connect_platform("x").unwrap_err().to_string();
        assert!(msg.contains("`twitter`"), "{msg}");
        assert!(msg.contains("platform"));
        let msg = check_connect_platform("Instagram").unwrap_err().to_string();
        assert!(msg.contains("`instagram`?"), "{msg}");
    }

    #[test]
    fn account_platforms_include_ads_platforms() {
        assert!(check_account_platform("metaads").is_ok());
        assert!(check_account_platform("myspace").is_err());
    }
}
