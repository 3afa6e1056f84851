//! The messages: what a call sends (requests, the headers a caller may set, bodies) and what comes
//! back (responses, decompression, errors for bodies that do not decode, a list split into runs
//! while it streams in). No connections, no decisions.

pub(crate) mod body;
pub(crate) mod body_error;
pub(crate) mod decode;
pub(crate) mod headers;
pub(crate) mod json_split;
pub(crate) mod request;
pub(crate) mod response;
