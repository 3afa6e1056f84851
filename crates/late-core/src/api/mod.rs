//! The API's calls that need logic: accounts (filters, pages), connect URLs, profiles and the
//! cached default profile, platform ids, uploads to presigned URLs, webhook signatures.

pub(crate) mod accounts;
pub(crate) mod connect;
pub(crate) mod default_profile;
pub(crate) mod platform;
pub(crate) mod profiles;
pub(crate) mod upload;
pub(crate) mod webhook;
