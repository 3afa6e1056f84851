//! Fault injection: make the next N requests to a route fail in a chosen way.

use std::time::Duration;

use serde_json::{json, Value};

use crate::error::SimError;

/// What an injected fault does to a matching request.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultAction {
    /// Answer normally (used for a pure delay).
    Pass,
    /// Answer with this status instead of running the route. `body` replaces the default
    /// `ErrorResponse` body; `retry_after` (seconds) adds a `Retry-After` header.
    Status {
        /// HTTP status code (200–599).
        status: u16,
        /// `Retry-After` in seconds.
        retry_after: Option<u64>,
        /// Response body; defaults to an `ErrorResponse` for the status.
        body: Option<Value>,
    },
    /// Close the TCP connection without sending any HTTP response.
    Drop,
    /// Answer 200 with a `Content-Type: application/json` body that is not valid JSON.
    Malformed,
}

/// One injected fault.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Route key: `"METHOD /path"` where path is the spec template (`/v1/profiles/{profileId}`)
    /// or a concrete path (`/v1/profiles/64f0...`), relative to `/api`; `"*"` matches every
    /// request, `"GET *"` every GET, and a trailing `/*` any rest of the path.
    pub route: String,
    /// How many matching requests it still applies to.
    pub times: u32,
    /// Delay before the answer (combined with the action).
    pub delay: Option<Duration>,
    /// What happens.
    pub action: FaultAction,
    /// The route runs first (its action is done), then the answer is lost this way: the API
    /// did the work and the client never learns it (a 500 after the write, a connection
    /// reset after the handler, …). A plain delay always comes after the route.
    pub after: bool,
}

impl Fault {
    fn new(route: &str, action: FaultAction) -> Self {
        Self {
            route: route.to_string(),
            times: 1,
            delay: None,
            action,
            after: false,
        }
    }

    /// The next matching request gets `status` with a default `ErrorResponse` body.
    pub fn status(route: &str, status: u16) -> Self {
        Self::new(
            route,
            FaultAction::Status {
                status,
                retry_after: None,
                body: None,
            },
        )
    }

    /// The next matching request is answered normally after `ms` milliseconds.
    pub fn delay(route: &str, ms: u64) -> Self {
        let mut f = Self::new(route, FaultAction::Pass);
        f.delay = Some(Duration::from_millis(ms));
        f
    }

    /// The next matching request's connection is closed without a response.
    pub fn drop_connection(route: &str) -> Self {
        Self::new(route, FaultAction::Drop)
    }

    /// The next matching request gets a 200 with an invalid JSON body.
    pub fn malformed(route: &str) -> Self {
        Self::new(route, FaultAction::Malformed)
    }

    /// Applies to the next `n` matching requests instead of one.
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    /// Adds `Retry-After: secs` (status faults only).
    pub fn retry_after(mut self, secs: u64) -> Self {
        if let FaultAction::Status { retry_after, .. } = &mut self.action {
            *retry_after = Some(secs);
        }
        self
    }

    /// Replaces the response body (status faults only).
    pub fn body(mut self, value: Value) -> Self {
        if let FaultAction::Status { body, .. } = &mut self.action {
            *body = Some(value);
        }
        self
    }

    /// Runs the route first, then loses its answer this way (see [`Fault::after`]).
    pub fn after_route(mut self) -> Self {
        self.after = true;
        self
    }

    /// Adds a delay before the answer.
    pub fn with_delay(mut self, ms: u64) -> Self {
        self.delay = Some(Duration::from_millis(ms));
        self
    }

    /// Parses the JSON form `{route, times?, status?, retryAfter?, body?, delayMs?, drop?,
    /// malformed?, after?}`; the error names the bad field.
    pub fn from_json(v: &Value) -> Result<Self, SimError> {
        let bad = |m: &str| SimError::InvalidFault(m.to_string());
        let o = v
            .as_object()
            .ok_or_else(|| bad("a fault must be a JSON object"))?;
        for k in o.keys() {
            if !matches!(
                k.as_str(),
                "route"
                    | "times"
                    | "status"
                    | "retryAfter"
                    | "body"
                    | "delayMs"
                    | "drop"
                    | "malformed"
                    | "after"
            ) {
                return Err(bad(&format!("unknown field `{k}`")));
            }
        }
        let route = match o.get("route") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            _ => {
                return Err(bad(
                    "`route` must be a non-empty string like \"GET /v1/accounts\"",
                ))
            }
        };
        validate_route(&route)?;
        let uint = |k: &str| -> Result<Option<u64>, SimError> {
            match o.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_u64()
                    .map(Some)
                    .ok_or_else(|| bad(&format!("`{k}` must be a non-negative integer"))),
            }
        };
        let flag = |k: &str| -> Result<bool, SimError> {
            match o.get(k) {
                None | Some(Value::Null) => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(bad(&format!("`{k}` must be a boolean"))),
            }
        };
        let times = uint("times")?.unwrap_or(1);
        if times == 0 || times > u32::MAX as u64 {
            return Err(bad("`times` must be a positive integer"));
        }
        let status = uint("status")?;
        let retry_after = uint("retryAfter")?;
        let delay = uint("delayMs")?;
        let drop = flag("drop")?;
        let malformed = flag("malformed")?;
        let after = flag("after")?;
        let body = o.get("body").cloned().filter(|b| !b.is_null());
        let kinds = [status.is_some(), drop, malformed]
            .iter()
            .filter(|b| **b)
            .count();
        if kinds > 1 {
            return Err(bad(
                "only one of `status`, `drop` and `malformed` may be set",
            ));
        }
        if after && kinds == 0 {
            return Err(bad(
                "`after` needs `status`, `drop` or `malformed` (a delay always comes after the route)",
            ));
        }
        if kinds == 0 && delay.is_none() {
            return Err(bad("set one of `status`, `delayMs`, `drop` or `malformed`"));
        }
        if status.is_none() && (retry_after.is_some() || body.is_some()) {
            return Err(bad(if retry_after.is_some() {
                "`retryAfter` needs `status`"
            } else {
                "`body` needs `status`"
            }));
        }
        let action = if let Some(s) = status {
            if !(200..=599).contains(&s) {
                return Err(bad("`status` must be an HTTP status between 200 and 599"));
            }
            FaultAction::Status {
                status: s as u16,
                retry_after,
                body,
            }
        } else if drop {
            FaultAction::Drop
        } else if malformed {
            FaultAction::Malformed
        } else {
            FaultAction::Pass
        };
        Ok(Self {
            route,
            times: times as u32,
            delay: delay.map(Duration::from_millis),
            action,
            after,
        })
    }

    /// The JSON form accepted by [`Fault::from_json`].
    pub fn to_json(&self) -> Value {
        let mut v = json!({ "route": self.route, "times": self.times });
        if let Some(d) = self.delay {
            v["delayMs"] = json!(d.as_millis() as u64);
        }
        match &self.action {
            FaultAction::Pass => {}
            FaultAction::Status {
                status,
                retry_after,
                body,
            } => {
                v["status"] = json!(status);
                if let Some(r) = retry_after {
                    v["retryAfter"] = json!(r);
                }
                if let Some(b) = body {
                    v["body"] = b.clone();
                }
            }
            FaultAction::Drop => v["drop"] = json!(true),
            FaultAction::Malformed => v["malformed"] = json!(true),
        }
        if self.after {
            v["after"] = json!(true);
        }
        v
    }

    /// Whether this fault's route matches a request (`path` relative to `/api`).
    pub fn matches(&self, method: &str, path: &str) -> bool {
        route_matches(&self.route, method, path)
    }
}

fn validate_route(route: &str) -> Result<(), SimError> {
    if route == "*" {
        return Ok(());
    }
    let mut parts = route.split_whitespace();
    let (Some(method), Some(path), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(SimError::InvalidFault(format!(
            "`route` must look like \"GET /v1/accounts\" or \"*\", got {route:?}"
        )));
    };
    let method_ok = method == "*" || method.bytes().all(|b| b.is_ascii_alphabetic());
    if !method_ok || !(path == "*" || path.starts_with('/')) {
        return Err(SimError::InvalidFault(format!(
            "`route` must look like \"GET /v1/accounts\" or \"*\", got {route:?}"
        )));
    }
    Ok(())
}

/// Matches a route key against a request.
pub fn route_matches(route: &str, method: &str, path: &str) -> bool {
    if route == "*" {
        return true;
    }
    let mut parts = route.split_whitespace();
    let (Some(m), Some(p)) = (parts.next(), parts.next()) else {
        return false;
    };
    if m != "*" && !m.eq_ignore_ascii_case(method) {
        return false;
    }
    if p == "*" {
        return true;
    }
    let p = p
        .strip_prefix("/api")
        .filter(|r| r.starts_with('/'))
        .unwrap_or(p);
    let p = p.split('?').next().unwrap_or(p);
    let pat: Vec<&str> = p.trim_end_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    for (i, seg) in pat.iter().enumerate() {
        let is_rest = *seg == "*" || (seg.starts_with("{*") && seg.ends_with('}'));
        if is_rest && i == pat.len() - 1 {
            return got.len() > i;
        }
        let Some(g) = got.get(i) else {
            return false;
        };
        let is_param = seg.starts_with('{') && seg.ends_with('}');
        if !is_param && seg != g {
            return false;
        }
    }
    pat.len() == got.len()
}

/// The active faults, consumed in insertion order.
#[derive(Debug, Default)]
pub struct FaultSet {
    faults: Vec<Fault>,
}

impl FaultSet {
    /// Adds a fault.
    pub fn push(&mut self, fault: Fault) {
        self.faults.push(fault);
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// The active faults.
    pub fn list(&self) -> Vec<Fault> {
        self.faults.clone()
    }

    /// Consumes one use of the first fault matching the request.
    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let idx = self.faults.iter().position(|f| f.matches(method, path))?;
        let f = &mut self.faults[idx];
        let out = f.clone();
        f.times = f.times.saturating_sub(1);
        if f.times == 0 {
            self.faults.remove(idx);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        assert!(route_matches("GET /v1/accounts", "GET", "/v1/accounts"));
        assert!(!route_matches("GET /v1/accounts", "POST", "/v1/accounts"));
        assert!(route_matches("GET /api/v1/accounts", "GET", "/v1/accounts"));
        assert!(route_matches(
            "PUT /v1/profiles/{profileId}",
            "PUT",
            "/v1/profiles/abc"
        ));
        assert!(route_matches(
            "PUT /v1/profiles/abc",
            "PUT",
            "/v1/profiles/abc"
        ));
        assert!(!route_matches(
            "PUT /v1/profiles/abc",
            "PUT",
            "/v1/profiles/abd"
        ));
        assert!(!route_matches(
            "GET /v1/profiles/{id}",
            "GET",
            "/v1/profiles"
        ));
        assert!(route_matches("*", "DELETE", "/anything"));
        assert!(route_matches("GET *", "GET", "/v1/x"));
        assert!(route_matches(
            "PUT /__sim/uploads/*",
            "PUT",
            "/__sim/uploads/temp/a.png"
        ));
    }

    #[test]
    fn parse_and_validate() {
        let f = Fault::from_json(
            &json!({"route": "GET /v1/accounts", "status": 503, "retryAfter": 2, "times": 2}),
        )
        .unwrap();
        assert_eq!(f.times, 2);
        assert_eq!(
            f,
            Fault::status("GET /v1/accounts", 503)
                .retry_after(2)
                .times(2)
        );
        for (bad, field) in [
            (json!({"route": "GET /v1/x"}), "status"),
            (json!({"route": 1, "status": 500}), "route"),
            (json!({"route": "GET /v1/x", "status": 700}), "status"),
            (json!({"route": "GET /v1/x", "drop": "yes"}), "drop"),
            (
                json!({"route": "GET /v1/x", "status": 500, "times": 0}),
                "times",
            ),
            (
                json!({"route": "GET /v1/x", "status": 500, "colour": 1}),
                "colour",
            ),
            (json!({"route": "GET /v1/x", "delayMs": -1}), "delayMs"),
            (
                json!({"route": "GET /v1/x", "drop": true, "status": 500}),
                "status",
            ),
            (json!({"route": "GET /v1/x", "after": true}), "after"),
            (
                json!({"route": "GET /v1/x", "delayMs": 5, "after": true}),
                "after",
            ),
        ] {
            let e = Fault::from_json(&bad).unwrap_err().to_string();
            assert!(e.contains(field), "{e} should name {field}");
        }
    }

    #[test]
    fn after_faults_round_trip() {
        let f = Fault::from_json(&json!({"route": "POST /v1/x", "status": 500, "after": true}))
            .unwrap();
        assert_eq!(f, Fault::status("POST /v1/x", 500).after_route());
        assert_eq!(Fault::from_json(&f.to_json()).unwrap(), f);
    }

    #[test]
    fn take_counts_down() {
        let mut s = FaultSet::default();
        s.push(Fault::status("GET /v1/a", 500).times(2));
        assert!(s.take("GET", "/v1/a").is_some());
        assert!(s.take("GET", "/v1/b").is_none());
        assert!(s.take("GET", "/v1/a").is_some());
        assert!(s.take("GET", "/v1/a").is_none());
    }
}
