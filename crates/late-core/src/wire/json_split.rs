//! Splits a JSON object's array field into runs of complete elements while the body streams in,
//! so the caller can parse the first accounts of a large list while the rest is still on the
//! wire, instead of parsing 6 MB after the last byte.
//!
//! `{"accounts":[{…},{…},…],"pagination":{…}}` fed in arbitrary pieces gives:
//! - runs of whole elements, each as a JSON array text `[{…},{…}]`, once a run reaches
//!   `run_bytes` (and the last one at the array's end), with the byte offset of its first element;
//! - the envelope: the body with the array emptied (`{"accounts":[],"pagination":{…}}`).
//!
//! The scanner only tracks strings, escapes and nesting; it never validates. Whatever it does
//! not recognise (no such field at the top level, a body that is not an object) stays in the
//! envelope untouched, so the caller parses that as it would have parsed the whole body. A run
//! is cut only after a complete element at the array's own depth, so every run is valid JSON
//! exactly when the elements are.

/// A run of complete array elements, ready to parse as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// `[` + elements + `]`.
    pub json: Vec<u8>,
    /// Byte offset in the body of the run's first element.
    pub offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the body's first `{`.
    Start,
    /// Inside the top-level object, outside the target array.
    Object,
    /// Inside the target array.
    Array,
    /// After the target array (or when the body is not what we look for): pass through.
    Done,
}

/// The streaming splitter. Feed pieces with [`Splitter::feed`], then call [`Splitter::finish`].
#[derive(Debug)]
pub struct Splitter {
    field: Vec<u8>,
    run_bytes: usize,
    state: State,
    /// Nesting depth (objects and arrays) at the current position.
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// At depth 1: the last complete string (a candidate key) and whether a `:` followed it.
    last_string: Vec<u8>,
    collecting_key: bool,
    key_matches: bool,
    /// Bytes of the body consumed so far.
    pos: usize,
    /// Everything outside the array.
    envelope: Vec<u8>,
    /// The run being built: `[`, the elements not yet emitted (comma-separated), then the one
    /// being read, if any. Bytes are written here once and the run is handed over as it is.
    run: Vec<u8>,
    run_offset: usize,
    /// Complete elements in `run`.
    run_count: usize,
    /// Whether an element is being read (its bytes are the end of `run`).
    in_element: bool,
}

impl Splitter {
    /// A splitter for the array under `field` of the top-level object, emitting runs of about
    /// `run_bytes`.
    pub fn new(field: &str, run_bytes: usize) -> Self {
        Self {
            field: field.as_bytes().to_vec(),
            run_bytes: run_bytes.max(1),
            state: State::Start,
            depth: 0,
            in_string: false,
            escaped: false,
            last_string: Vec::new(),
            collecting_key: false,
            key_matches: false,
            pos: 0,
            envelope: Vec::new(),
            run: Vec::new(),
            run_offset: 0,
            run_count: 0,
            in_element: false,
        }
    }

    fn take_run(&mut self) -> Option<Run> {
        if self.run_count == 0 {
            return None;
        }
        let mut json = std::mem::take(&mut self.run);
        json.push(b']');
        let run = Run {
            json,
            offset: self.run_offset,
        };
        self.run_count = 0;
        Some(run)
    }

    fn end_element(&mut self) {
        if !self.in_element {
            return;
        }
        self.in_element = false;
        self.run_count += 1;
    }

    /// Consumes the next piece of the body; returns the runs completed by it.
    pub fn feed(&mut self, piece: &[u8]) -> Vec<Run> {
        let mut out = Vec::new();
        let mut pass_from = 0usize;
        for (i, &b) in piece.iter().enumerate() {
            let at = self.pos + i;
            match self.state {
                State::Done => {
                    // The rest of the piece is copied at the end.
                    break;
                }
                State::Start => {
                    if b == b'{' {
                        self.state = State::Object;
                        self.depth = 1;
                    } else if !b.is_ascii_whitespace() {
                        self.state = State::Done;
                    }
                }
                State::Object => self.object_byte(b),
                State::Array => {
                    // Array bytes never go to the envelope.
                    if i > pass_from {
                        self.envelope.extend_from_slice(&piece[pass_from..i]);
                    }
                    pass_from = i + 1;
                    if self.array_byte(b, at) {
                        // `]` closing the array: it goes to the envelope after an empty array.
                        self.end_element();
                        if let Some(run) = self.take_run() {
                            out.push(run);
                        }
                        self.envelope.push(b']');
                        self.state = State::Object;
                        self.depth -= 1;
                    } else if self.run.len() >= self.run_bytes && !self.in_element {
                        if let Some(run) = self.take_run() {
                            out.push(run);
                        }
                    }
                    continue;
                }
            }
            if self.state == State::Array {
                // The `[` that opened the array: copy up to and including it.
                self.envelope.extend_from_slice(&piece[pass_from..=i]);
                pass_from = i + 1;
            }
        }
        if pass_from < piece.len() && self.state != State::Array {
            self.envelope.extend_from_slice(&piece[pass_from..]);
        }
        self.pos += piece.len();
        out
    }

    /// A byte of the top-level object (outside the array): tracks keys at depth 1.
    fn object_byte(&mut self, b: u8) {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
                if self.depth == 1 {
                    self.last_string.push(b);
                }
            } else if b == b'\\' {
                self.escaped = true;
                if self.depth == 1 {
                    self.last_string.push(b);
                }
            } else if b == b'"' {
                self.in_string = false;
                if self.depth == 1 {
                    self.collecting_key = true;
                }
            } else if self.depth == 1 {
                self.last_string.push(b);
            }
            return;
        }
        match b {
            b'"' => {
                self.in_string = true;
                self.last_string.clear();
                self.collecting_key = false;
                self.key_matches = false;
            }
            b':' if self.depth == 1 && self.collecting_key => {
                self.key_matches = self.last_string == self.field;
                self.collecting_key = false;
            }
            b'[' if self.depth == 1 && self.key_matches => {
                self.key_matches = false;
                self.depth += 1;
                self.state = State::Array;
            }
            b'{' | b'[' => {
                self.depth += 1;
                self.key_matches = false;
            }
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.state = State::Done;
                }
            }
            c if c.is_ascii_whitespace() => {}
            _ => {
                self.collecting_key = false;
                if self.depth == 1 && b != b',' {
                    self.key_matches = false;
                }
            }
        }
    }

    /// A byte inside the array (depth ≥ 2). Returns true on the `]` that closes it.
    fn array_byte(&mut self, b: u8, at: usize) -> bool {
        if self.in_string {
            self.run.push(b);
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return false;
        }
        let element_depth = 2;
        match b {
            b']' if self.depth == element_depth => return true,
            b',' if self.depth == element_depth => {
                self.end_element();
                return false;
            }
            c if c.is_ascii_whitespace() && self.depth == element_depth => return false,
            _ => {}
        }
        if !self.in_element {
            self.in_element = true;
            if self.run.is_empty() {
                self.run.push(b'[');
                self.run_offset = at;
            } else {
                self.run.push(b',');
            }
        }
        self.run.push(b);
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        false
    }

    /// Ends the body: the last run (if the array never closed, its elements so far) and the
    /// envelope. When the array never closed, the body was cut: the envelope is then returned
    /// as it is, invalid, for the caller's parser to report.
    pub fn finish(mut self) -> (Option<Run>, Vec<u8>) {
        if self.state == State::Array {
            self.end_element();
        }
        let run = self.take_run();
        (run, self.envelope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(body: &str, piece: usize, run_bytes: usize) -> (Vec<Run>, String) {
        let mut s = Splitter::new("accounts", run_bytes);
        let mut runs = Vec::new();
        for chunk in body.as_bytes().chunks(piece.max(1)) {
            runs.extend(s.feed(chunk));
        }
        let (last, env) = s.finish();
        runs.extend(last);
        (runs, String::from_utf8(env).unwrap())
    }

    fn items(runs: &[Run]) -> Vec<serde_json::Value> {
        runs.iter()
            .flat_map(|r| {
                serde_json::from_slice::<Vec<serde_json::Value>>(&r.json).unwrap_or_else(|e| {
                    panic!("run not JSON ({e}): {}", String::from_utf8_lossy(&r.json))
                })
            })
            .collect()
    }

    const BODY: &str = r#" {"hasAnalyticsAccess":true, "accounts" : [ {"_id":"a","n":[1,{"x":"]}"}]} , {"_id":"b\"],","tags":[]},{"_id":"c","profileId":{"_id":"p","name":"D"}} ] ,"pagination":{"nextCursor":"c1","accounts":[9]}}"#;

    #[test]
    fn every_piece_size_gives_the_same_elements_and_envelope() {
        let whole: serde_json::Value = serde_json::from_str(BODY).unwrap();
        for piece in [1, 2, 3, 7, 16, 1000] {
            for run_bytes in [1, 20, 10_000] {
                let (runs, env) = split(BODY, piece, run_bytes);
                assert_eq!(
                    serde_json::Value::Array(items(&runs)),
                    whole["accounts"],
                    "piece {piece} run {run_bytes}"
                );
                let env: serde_json::Value = serde_json::from_str(&env).unwrap();
                assert_eq!(env["accounts"], serde_json::json!([]));
                assert_eq!(env["pagination"], whole["pagination"]);
                assert_eq!(env["hasAnalyticsAccess"], true);
            }
        }
    }

    #[test]
    fn runs_carry_the_offset_of_their_first_element() {
        let (runs, _) = split(BODY, 5, 1);
        assert_eq!(runs.len(), 3);
        for r in &runs {
            assert_eq!(BODY.as_bytes()[r.offset], b'{');
        }
        let elements = |r: &Run| {
            serde_json::from_slice::<Vec<serde_json::Value>>(&r.json)
                .unwrap()
                .len()
        };
        assert_eq!(runs.iter().map(elements).sum::<usize>(), 3);
    }

    #[test]
    fn other_shapes_pass_through_untouched() {
        for body in [
            "[1,2]",
            r#"{"profiles":[{"_id":"x"}]}"#,
            r#"{"data":{"accounts":[1]}}"#,
            "not json",
            "",
        ] {
            let (runs, env) = split(body, 3, 1);
            assert!(runs.is_empty(), "{body}");
            assert_eq!(env, body);
        }
    }

    #[test]
    fn an_empty_array_and_a_cut_body() {
        let (runs, env) = split(r#"{"accounts":[]}"#, 2, 1);
        assert!(runs.is_empty());
        assert_eq!(env, r#"{"accounts":[]}"#);
        let (runs, env) = split(r#"{"accounts":[{"a":1},{"b":"#, 4, 1);
        assert_eq!(items(&runs[..1]), vec![serde_json::json!({"a":1})]);
        assert!(serde_json::from_str::<serde_json::Value>(&env).is_err());
    }

    #[test]
    fn non_ascii_text_is_never_cut_inside_a_character() {
        let body = r#"{"accounts":[{"n":"ünï ✓ 🎉"},{"n":"日本"}]}"#;
        for piece in 1..8 {
            let (runs, _) = split(body, piece, 1);
            for r in &runs {
                assert!(std::str::from_utf8(&r.json).is_ok());
            }
            assert_eq!(items(&runs).len(), 2);
        }
    }
}
