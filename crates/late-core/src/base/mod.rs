//! The base layer, used by every other: errors, the API key, rate-limit headers, attempt records
//! for the observer, random ids. It uses nothing of the crate outside itself.

pub(crate) mod error;
pub(crate) mod ids;
pub(crate) mod observe;
pub(crate) mod rate_limit;
pub(crate) mod secret;
