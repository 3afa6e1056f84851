//! Replay safety: whether a request may be sent again after a failure, and where an automatic
//! `Idempotency-Key` goes. The one owner of the rule; the spec's facts come from `late-spec`
//! (generated from `spec/openapi.json`).
//!
//! A request is sent again only when that cannot repeat an action on the API:
//! - `GET`, `PUT`, `DELETE` ([`Method::is_idempotent`]): after any retryable failure.
//! - `POST`/`PATCH` to an operation the API dedupes by `Idempotency-Key` (37 of the 365 POSTs of
//!   spec 1.444.0: createPost, createProfile, inbox replies, ads, money, …): with one key per
//!   call, generated unless the caller gave one, reused on every attempt.
//! - Any request, when the failure proves the server did nothing ([`crate::policy::retry`]): the
//!   connection failed before the request was written, HTTP/2 `REFUSED_STREAM` or a `GOAWAY`
//!   below the request's stream (reqwest replays those itself), or a 429 of the API's limiter.
//! - Nothing else, unless the caller says the call is safe to repeat (`replaySafe`). A
//!   `POST`/`PATCH` to any other operation — or to a route the spec does not have — whose
//!   answer was lost fails, saying that it may have been processed and why it was not resent.

use crate::wire::request::Method;

/// How a call may be replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// The method repeats no action (`GET`, `PUT`, `DELETE`).
    Idempotent,
    /// The API dedupes the operation by `Idempotency-Key`; the call carries one.
    Keyed,
    /// The caller said the call is safe to repeat.
    OptedIn,
    /// Sent again only when the failure proves nothing was done.
    Unsafe,
}

/// The replay rule of one call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Replay {
    pub(crate) class: Class,
    operation: Option<&'static late_spec::Operation>,
}

impl Replay {
    /// The rule for `method` on `path` (relative to the base URL); `opted_in`: the call's
    /// `replaySafe` option.
    pub(crate) fn of(method: Method, path: &str, opted_in: bool) -> Self {
        let operation = late_spec::find(method.as_str(), path);
        let class = if method.is_idempotent() {
            Class::Idempotent
        } else if operation.is_some_and(|o| o.idempotency_key) {
            Class::Keyed
        } else if opted_in {
            Class::OptedIn
        } else {
            Class::Unsafe
        };
        Self { class, operation }
    }

    /// Whether the call gets an automatic `Idempotency-Key` (a key the caller gives is sent
    /// on every call, whatever the operation).
    pub(crate) fn wants_key(&self) -> bool {
        self.class == Class::Keyed
    }

    /// Whether any retryable failure may be retried (else only those that prove nothing was done).
    pub(crate) fn is_safe(&self) -> bool {
        self.class != Class::Unsafe
    }

    /// The call's operationId, when the spec has its route.
    pub(crate) fn operation_id(&self) -> Option<&'static str> {
        self.operation.map(|o| o.id)
    }

    /// Why a failure that would be retried for a safe call was not: for the error message.
    pub(crate) fn not_replayed(&self, method: Method) -> String {
        let why = match self.operation {
            Some(op) => format!(
                "{} {} ({}) does not accept Idempotency-Key",
                method.as_str(),
                op.path,
                op.id
            ),
            None => format!(
                "this {} route is not in the API spec, so nothing says the API dedupes it",
                method.as_str()
            ),
        };
        format!(
            "the request may have been processed; it was not retried because {why}. \
             Check whether it took effect before sending it again (or pass `replaySafe: true` \
             for a call that is safe to repeat)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_method_and_spec() {
        assert_eq!(
            Replay::of(Method::Get, "/v1/posts", false).class,
            Class::Idempotent
        );
        assert_eq!(
            Replay::of(Method::Delete, "/v1/posts/p1", false).class,
            Class::Idempotent
        );
        let create = Replay::of(Method::Post, "/v1/posts", false);
        assert_eq!(create.class, Class::Keyed);
        assert!(create.wants_key());
        assert_eq!(create.operation_id(), Some("createPost"));
        let retry = Replay::of(Method::Post, "/v1/posts/p1/retry", false);
        assert_eq!(retry.class, Class::Unsafe);
        assert!(!retry.wants_key() && !retry.is_safe());
        assert!(retry.not_replayed(Method::Post).contains("retryPost"));
        assert_eq!(
            Replay::of(Method::Post, "/v1/posts/p1/retry", true).class,
            Class::OptedIn
        );
        let unknown = Replay::of(Method::Post, "/v1/unknown", false);
        assert_eq!(unknown.class, Class::Unsafe);
        assert!(unknown
            .not_replayed(Method::Post)
            .contains("not in the API spec"));
        assert_eq!(
            Replay::of(Method::Patch, "/v1/accounts/a1", false).class,
            Class::Unsafe
        );
    }
}
