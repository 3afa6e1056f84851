//! Shared state across processes, in Redis: the link (URL, TLS, timeouts) and the webhook event
//! store. The shared rate-limit window (`policy::pacing`) books through the same link.

pub(crate) mod event_store;
pub(crate) mod redis_link;
