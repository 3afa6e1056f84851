//! The log of requests the simulator received, for assertions in tests.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

/// One received request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    /// Sequence number (1-based, per simulator).
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Path, including the `/api` prefix for API routes.
    pub path: String,
    /// Raw query string without `?` (empty when none).
    pub query: String,
    /// Headers with lowercase names (repeated headers joined with `, `). `authorization` is
    /// kept verbatim only when it carries the simulator's own key, otherwise `"[other]"`.
    pub headers: BTreeMap<String, String>,
    /// The body as text (binary or large bodies are summarised as `"[N bytes]"`).
    pub body: String,
    /// When it arrived (RFC 3339).
    pub time: String,
    /// The `X-Request-Id` the simulator answered with.
    pub request_id: String,
    /// The response status, once answered (`None` for dropped connections or pending requests).
    pub status: Option<u16>,
}

/// A bounded request log.
#[derive(Debug)]
pub struct Recorder {
    max: usize,
    next: u64,
    items: VecDeque<RecordedRequest>,
}

impl Recorder {
    /// A log keeping at most `max` requests.
    pub fn new(max: usize) -> Self {
        Self {
            max: max.max(1),
            next: 1,
            items: VecDeque::new(),
        }
    }

    /// Appends a request and returns its sequence number.
    pub fn push(&mut self, mut r: RecordedRequest) -> u64 {
        r.seq = self.next;
        self.next += 1;
        if self.items.len() >= self.max {
            self.items.pop_front();
        }
        let seq = r.seq;
        self.items.push_back(r);
        seq
    }

    /// Records the response status of request `seq`.
    pub fn set_status(&mut self, seq: u64, status: u16) {
        if let Some(r) = self.items.iter_mut().rev().find(|r| r.seq == seq) {
            r.status = Some(status);
        }
    }

    /// All kept requests, oldest first.
    pub fn list(&self) -> Vec<RecordedRequest> {
        self.items.iter().cloned().collect()
    }

    /// Empties the log.
    pub fn clear(&mut self) {
        self.items.clear();
    }
}

/// Summarises a body for the log.
pub fn body_text(bytes: &[u8]) -> String {
    const MAX: usize = 64 * 1024;
    if bytes.is_empty() {
        return String::new();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) if bytes.len() <= MAX && !s.contains('\0') => s.to_string(),
        _ => format!("[{} bytes]", bytes.len()),
    }
}
