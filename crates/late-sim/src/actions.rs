//! The ledger of actions: every `POST` or `PATCH` the simulator acted on (a 2xx answer of its
//! route, not a replay of an `Idempotency-Key` or an `x-request-id`), keyed by the request's
//! `x-request-id`. A client sends one id per call on every attempt, so the same id acting
//! twice is a call done twice: a duplicate, the thing a client must never cause. Tests read it
//! through `GET /__sim/actions` (`sim.actions()` in JS).

use std::collections::HashMap;

use serde_json::{json, Value};

/// Marks a response that replays an earlier answer instead of acting again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Replayed;

/// `resp`, marked as a replay of an earlier answer (no action).
pub(crate) fn replayed(mut resp: axum::response::Response) -> axum::response::Response {
    resp.extensions_mut().insert(Replayed);
    resp
}

/// Whether a request with this method acts when its route answers 2xx (`GET`, `PUT` and
/// `DELETE` repeat no action when sent again).
pub(crate) fn is_action(method: &str) -> bool {
    method == "POST" || method == "PATCH"
}

#[derive(Debug, Default)]
pub(crate) struct Actions {
    /// `(method, path, x-request-id)` → times acted.
    seen: HashMap<(String, String, String), u32>,
    total: u64,
}

impl Actions {
    /// Records one action of a call.
    pub(crate) fn record(&mut self, method: &str, path: &str, request_id: &str) {
        self.total += 1;
        *self
            .seen
            .entry((method.to_string(), path.to_string(), request_id.to_string()))
            .or_default() += 1;
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        self.seen.clear();
        self.total = 0;
    }

    /// `{ total, duplicates: [{ method, path, operation, requestId, times }] }`.
    pub(crate) fn to_json(&self) -> Value {
        let mut dups: Vec<_> = self.seen.iter().filter(|(_, n)| **n > 1).collect();
        dups.sort();
        let duplicates: Vec<Value> = dups
            .into_iter()
            .map(|((method, path, id), n)| {
                json!({
                    "method": method,
                    "path": path,
                    "operation": late_spec::find(method, path).map(|o| o.id),
                    "requestId": id,
                    "times": n,
                })
            })
            .collect();
        json!({ "total": self.total, "duplicates": duplicates })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_call_acting_twice_is_a_duplicate() {
        let mut a = Actions::default();
        a.record("POST", "/v1/posts/p1/retry", "r1");
        a.record("POST", "/v1/posts/p1/retry", "r2");
        assert_eq!(a.to_json()["duplicates"], json!([]));
        a.record("POST", "/v1/posts/p1/retry", "r1");
        let j = a.to_json();
        assert_eq!(j["total"], 3);
        assert_eq!(j["duplicates"][0]["operation"], "retryPost");
        assert_eq!(j["duplicates"][0]["times"], 2);
        a.clear();
        assert_eq!(a.to_json()["total"], 0);
    }
}
