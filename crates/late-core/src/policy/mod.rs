//! The decisions around each attempt: what may be sent again (replay safety), when and how long
//! to wait before a retry, and pacing under the team's rate limit. They decide; the transport
//! (`send`) acts.

pub(crate) mod pacing;
pub(crate) mod replay;
pub(crate) mod retry;
