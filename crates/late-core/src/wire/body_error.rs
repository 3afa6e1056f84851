//! Errors for success bodies that do not decode. Broken JSON (a truncated response, an HTML page
//! from a proxy) says where it broke: the problem, line, column and byte offset, and an excerpt
//! around that place; valid JSON of another shape says what serde expected.

use serde_json::error::Category;

use crate::base::error::{excerpt, Error};
use crate::base::secret::ApiKey;

/// Bytes of excerpt before the break, and after it.
const BEFORE: usize = 40;
const AFTER: usize = 20;
/// How far an excerpt edge moves to avoid cutting a token (such as a key) in two.
const TOKEN_SLACK: usize = 128;

/// The [`Error::Decode`] for a `status` response (with `request_id`) whose `body` `err` could not
/// decode as `what` (e.g. "an account list").
pub(crate) fn body_error(
    status: u16,
    request_id: Option<&str>,
    body: &[u8],
    what: &str,
    err: &serde_json::Error,
) -> Error {
    let message = match err.classify() {
        Category::Syntax | Category::Eof => {
            let at = match err.classify() {
                Category::Eof => body.len(),
                _ => byte_offset(body, err.line(), err.column()),
            };
            format!(
                "the API returned a {} response whose body is not valid JSON: {} at line {}, column {} (byte {at} of {}), near {}",
                status,
                problem(err),
                err.line(),
                err.column(),
                body.len(),
                near(body, at),
            )
        }
        Category::Data | Category::Io => format!(
            "the API returned a {} response whose body is not {what} ({err}): {}",
            status,
            excerpt(&visible(&String::from_utf8_lossy(body)), 200)
        ),
    };
    Error::Decode {
        message,
        status,
        request_id: request_id.map(str::to_string),
        outcome: crate::base::error::Outcome::default(),
    }
}

/// `err` with every occurrence of `key` in a decode message replaced by `[redacted]`.
pub(crate) fn redact(err: Error, key: &ApiKey) -> Error {
    match err {
        Error::Decode {
            message,
            status,
            request_id,
            outcome,
        } => Error::Decode {
            message: key.redact(&message),
            status,
            request_id,
            outcome,
        },
        other => other,
    }
}

/// serde_json's message without its trailing " at line L column C".
fn problem(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The byte offset of serde_json's 1-based line and column, clamped to the body.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start = body
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(line.saturating_sub(2))
        .map_or(0, |(i, _)| if line > 1 { i + 1 } else { 0 });
    (line_start + column.saturating_sub(1)).min(body.len())
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'
}

/// "`before` ← here → `after`" around byte `at`, edges moved off the middle of a token (so a key
/// is either whole, and redacted by the caller, or absent).
fn near(body: &[u8], at: usize) -> String {
    let mut start = at.saturating_sub(BEFORE);
    let floor = start.saturating_sub(TOKEN_SLACK);
    while start > floor && is_token_byte(body[start]) && is_token_byte(body[start - 1]) {
        start -= 1;
    }
    let mut end = (at + AFTER).min(body.len());
    let ceiling = (end + TOKEN_SLACK).min(body.len());
    while end < ceiling && is_token_byte(body[end - 1]) && is_token_byte(body[end]) {
        end += 1;
    }
    let before = format!(
        "{}{}",
        if start > 0 { "…" } else { "" },
        visible(&String::from_utf8_lossy(&body[start..at]))
    );
    if at == body.len() {
        return format!("`{before}` ← here (the end)");
    }
    let after = format!(
        "{}{}",
        visible(&String::from_utf8_lossy(&body[at..end])),
        if end < body.len() { "…" } else { "" }
    );
    format!("`{before}` ← here → `{after}`")
}

/// Control characters escaped, so an excerpt stays on one line.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => "\\n".to_string(),
            '\r' => "\\r".to_string(),
            '\t' => "\\t".to_string(),
            c if c.is_control() => format!("\\u{:04x}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn message(body: &str) -> String {
        let err = serde_json::from_str::<Value>(body).unwrap_err();
        match body_error(200, None, body.as_bytes(), "an object", &err) {
            Error::Decode { message, .. } => message,
            other => panic!("not a decode error: {other:?}"),
        }
    }

    #[test]
    fn truncated_body_says_where_it_ended() {
        let m = message(r#"{"accounts":[{"_id":"a","username":"ac"#);
        assert!(m.contains("is not valid JSON: EOF while parsing a string at line 1, column 38 (byte 38 of 38)"), "{m}");
        assert!(
            m.ends_with(r#"near `{"accounts":[{"_id":"a","username":"ac` ← here (the end)"#),
            "{m}"
        );
    }

    #[test]
    fn broken_body_shows_both_sides_of_the_place() {
        let m = message("{\"accounts\":\n [oops]}");
        assert!(m.contains("at line 2, column 3 (byte 15 of 21)"), "{m}");
        assert!(
            m.contains(r#"near `{"accounts":\n [` ← here → `oops]}`"#),
            "{m}"
        );
    }

    #[test]
    fn valid_json_of_another_shape_is_not_called_invalid() {
        let body = r#"{"profiles": 3}"#;
        let err = serde_json::from_str::<Vec<u32>>(body).unwrap_err();
        let Error::Decode { message, .. } = body_error(200, None, body.as_bytes(), "a list", &err)
        else {
            panic!("not a decode error")
        };
        assert!(
            message.contains("whose body is not a list (invalid type"),
            "{message}"
        );
    }

    #[test]
    fn excerpt_edges_never_split_a_key_and_redact_removes_it() {
        let key = ApiKey::new("sk_test_0123456789abcdef0123456789");
        let body = format!(r#"{{"echo":"{}" broken"#, key.expose());
        let err = serde_json::from_str::<Value>(&body).unwrap_err();
        let Error::Decode { message, .. } =
            redact(body_error(200, None, body.as_bytes(), "x", &err), &key)
        else {
            panic!("not a decode error")
        };
        assert!(!message.contains("sk_test_0123"), "{message}");
        assert!(message.contains("[redacted]"), "{message}");
    }
}
