//! `POST /v1/posts/bulk-upload`: posts from a CSV file sent as `multipart/form-data` (field
//! `file`). Each data row becomes the body of a `POST /v1/posts` and goes through the same
//! checks; with `dryRun=true` nothing is stored. The answer is the spec's `BulkUploadResult`:
//! `200` when every row succeeded (or every row failed), `207` for a mix.
//!
//! Columns read (the spec's): `post_content` (alias `content`), `title`, `platforms`,
//! `profiles` (names or ids), `schedule_time` (alias `scheduledFor`; `YYYY-MM-DD HH:MM[:SS]` or
//! ISO 8601, read as UTC: the simulator does not apply `tz`), `tz` (alias `timezone`),
//! `publish_now`, `use_queue` (the simulator schedules such a row one hour ahead), `is_draft`,
//! `media_urls` (alias `mediaUrls`), `hashtags`, `mentions`, and the per-platform
//! `schedule_time_<platform>`, `custom_content_<platform>`, `custom_media_<platform>`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::app::Shared;
use crate::error::ApiError;
use crate::extract::Query;
use crate::multipart;
use crate::time::{iso_from_millis, parse_iso_millis, unix_millis};

/// Hard cap on data rows (400 above it).
const MAX_ROWS: usize = 5000;
/// Advisory threshold: a warning, the upload still runs.
const ADVISORY_ROWS: usize = 500;

const COLUMNS: &[&str] = &[
    "post_content",
    "content",
    "title",
    "platforms",
    "profiles",
    "schedule_time",
    "scheduledFor",
    "tz",
    "timezone",
    "publish_now",
    "use_queue",
    "is_draft",
    "media_urls",
    "mediaUrls",
    "hashtags",
    "mentions",
];
const PREFIXES: &[&str] = &["schedule_time_", "custom_content_", "custom_media_"];

/// Splits CSV text (RFC 4180: quoted fields, `""` escapes, CRLF or LF) into records.
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    let mut quoted = false;
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                any = false;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    if any {
        record.push(field);
        records.push(record);
    }
    records.retain(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    Ok(records)
}

fn list(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn truthy(value: Option<&str>) -> bool {
    value.is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
}

/// `YYYY-MM-DD HH:MM[:SS]` or ISO 8601 → ISO 8601 UTC.
fn schedule(value: &str) -> Option<String> {
    let v = value.trim();
    let v = if v.len() == 16 {
        format!("{v}:00")
    } else {
        v.to_string()
    };
    parse_iso_millis(&v).map(iso_from_millis)
}

fn media(urls: &str) -> Value {
    Value::Array(
        list(urls)
            .into_iter()
            .map(|url| {
                let lower = url.to_ascii_lowercase();
                let kind = if [".mp4", ".mov", ".webm", ".m4v"]
                    .iter()
                    .any(|e| lower.ends_with(e))
                {
                    "video"
                } else {
                    "image"
                };
                json!({ "type": kind, "url": url })
            })
            .collect(),
    )
}

/// One row as a `POST /v1/posts` body, or the row's error codes.
fn row_body(
    app: &Shared,
    cell: &dyn Fn(&str) -> Option<String>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let mut body = Map::new();
    let content = cell("post_content").or_else(|| cell("content"));
    let title = cell("title");
    let media_urls = cell("media_urls").or_else(|| cell("mediaUrls"));
    if content.is_none() && title.is_none() && media_urls.is_none() {
        errors.push("content_missing".to_string());
    }
    let st = app.state();
    let mut profile_ids = Vec::new();
    for p in list(&cell("profiles").unwrap_or_default()) {
        match st
            .profiles
            .iter()
            .find(|x| x.id == p || x.name.eq_ignore_ascii_case(&p))
        {
            Some(profile) => profile_ids.push(profile.id.clone()),
            None => errors.push(format!("unknown_profile:{p}")),
        }
    }
    if profile_ids.is_empty() && errors.iter().all(|e| !e.starts_with("unknown_profile")) {
        errors.push("profiles_missing".to_string());
    }
    let mut targets = Vec::new();
    let platforms = list(&cell("platforms").unwrap_or_default());
    if platforms.is_empty() {
        errors.push("platforms_missing".to_string());
    }
    for platform in &platforms {
        let account = st.accounts.iter().find(|a| {
            a.platform == *platform && a.is_connected() && profile_ids.contains(&a.profile_id)
        });
        let Some(account) = account else {
            errors.push(format!("no_account_for_platform:{platform}"));
            continue;
        };
        let mut t = json!({ "platform": platform, "accountId": account.id });
        if let Some(c) = cell(&format!("custom_content_{platform}")) {
            t["customContent"] = json!(c);
        }
        if let Some(m) = cell(&format!("custom_media_{platform}")) {
            t["customMedia"] = media(&m);
        }
        if let Some(s) = cell(&format!("schedule_time_{platform}")) {
            match schedule(&s) {
                Some(iso) => t["scheduledFor"] = json!(iso),
                None => errors.push(format!("invalid_schedule_time_{platform}")),
            }
        }
        targets.push(t);
    }
    drop(st);
    let per_platform_time = targets.iter().any(|t| t.get("scheduledFor").is_some());
    if truthy(cell("is_draft").as_deref()) {
        body.insert("isDraft".into(), json!(true));
    } else if truthy(cell("publish_now").as_deref()) {
        body.insert("publishNow".into(), json!(true));
    } else if truthy(cell("use_queue").as_deref()) {
        body.insert(
            "scheduledFor".into(),
            json!(iso_from_millis(unix_millis() + 3_600_000)),
        );
    } else if let Some(s) = cell("schedule_time").or_else(|| cell("scheduledFor")) {
        match schedule(&s) {
            Some(iso) => {
                body.insert("scheduledFor".into(), json!(iso));
            }
            None => errors.push("invalid_schedule_time".to_string()),
        }
    } else if !per_platform_time {
        errors.push("schedule_time_missing".to_string());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Some(c) = content {
        body.insert("content".into(), json!(c));
    }
    if let Some(t) = title {
        body.insert("title".into(), json!(t));
    }
    if let Some(m) = media_urls {
        body.insert("mediaItems".into(), media(&m));
    }
    if let Some(tz) = cell("tz").or_else(|| cell("timezone")) {
        body.insert("timezone".into(), json!(tz));
    }
    for (col, field) in [("hashtags", "hashtags"), ("mentions", "mentions")] {
        if let Some(v) = cell(col) {
            body.insert(field.into(), json!(list(&v)));
        }
    }
    body.insert("platforms".into(), Value::Array(targets));
    Ok(body)
}

/// The machine code of an error answer (its `code`, else its message).
fn code_of(e: &ApiError) -> String {
    e.body
        .get("code")
        .or_else(|| e.body.get("error"))
        .and_then(Value::as_str)
        .unwrap_or("invalid_row")
        .to_string()
}

/// `POST /v1/posts/bulk-upload?dryRun=` with a multipart `file` → `BulkUploadResult`.
pub(crate) async fn upload(
    State(app): State<Shared>,
    q: Query,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    q.only(&["dryRun"])?;
    let dry_run = q.bool("dryRun")?.unwrap_or(false);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multipart::boundary(content_type).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_content_type",
            "Send the CSV as multipart/form-data with a `file` field.",
        )
    })?;
    let parts = multipart::parse(&boundary, &body).map_err(|e| {
        ApiError::bad_request(
            "invalid_multipart",
            format!("The multipart body is malformed: {e}."),
        )
    })?;
    let file = parts
        .iter()
        .find(|p| p.name == "file")
        .ok_or_else(|| ApiError::missing("file"))?;
    if file.filename.is_none() {
        return Err(ApiError::invalid(
            "file",
            "`file` must be a file part (with a filename), not a text field",
        ));
    }
    let csv_type = |t: &str| {
        let t = t
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        t.starts_with("text/")
            || matches!(
                t.as_str(),
                "application/csv" | "application/vnd.ms-excel" | "application/octet-stream"
            )
    };
    if let Some(t) = file.content_type.as_deref().filter(|t| !csv_type(t)) {
        return Err(ApiError::invalid(
            "file",
            format!("`file` must be a CSV file, not {t}"),
        ));
    }
    let text = std::str::from_utf8(&file.data).map_err(|_| {
        ApiError::bad_request("invalid_csv", "The CSV file is not UTF-8 text.").param("file")
    })?;
    let mut records = parse_csv(text).map_err(|e| {
        ApiError::bad_request("invalid_csv", format!("The CSV file is malformed: {e}."))
            .param("file")
    })?;
    if records.is_empty() {
        return Err(
            ApiError::bad_request("invalid_csv", "The CSV file has no header row.").param("file"),
        );
    }
    let header_row: Vec<String> = records
        .remove(0)
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    let missing: Vec<&str> = ["platforms", "profiles"]
        .into_iter()
        .filter(|c| !header_row.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_csv",
            format!(
                "The CSV file lacks the required column(s): {}.",
                missing.join(", ")
            ),
        )
        .param("file"));
    }
    if records.len() > MAX_ROWS {
        return Err(ApiError::bad_request(
            "too_many_rows",
            format!(
                "The CSV file has {} rows; at most {MAX_ROWS} are accepted.",
                records.len()
            ),
        )
        .param("file"));
    }
    let mut warnings = Vec::new();
    if records.len() > ADVISORY_ROWS {
        warnings.push(format!("rows_exceed_advisory_limit:{ADVISORY_ROWS}"));
    }
    let unknown: Vec<&str> = header_row
        .iter()
        .map(String::as_str)
        .filter(|h| !COLUMNS.contains(h) && !PREFIXES.iter().any(|p| h.starts_with(p)))
        .collect();
    if !unknown.is_empty() {
        warnings.push(format!("unknown_columns:{}", unknown.join(",")));
    }
    let column = |name: &str| header_row.iter().position(|h| h == name);
    let filled = |name: &str| {
        column(name).is_some_and(|i| {
            records
                .iter()
                .any(|r| r.get(i).is_some_and(|v| !v.trim().is_empty()))
        })
    };
    let not_in_caption: Vec<&str> = ["hashtags", "mentions"]
        .into_iter()
        .filter(|c| filled(c))
        .collect();
    if !not_in_caption.is_empty() {
        warnings.push(format!("not_added_to_caption:{}", not_in_caption.join(",")));
    }
    let mut results = Vec::with_capacity(records.len());
    let mut valid = 0usize;
    for (i, record) in records.iter().enumerate() {
        let cell = |name: &str| {
            column(name)
                .and_then(|c| record.get(c))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let outcome = row_body(&app, &cell).and_then(|body| {
            if dry_run {
                super::posts::check_input(&app, &body)
                    .map(|()| None)
                    .map_err(|e| vec![code_of(&e)])
            } else {
                super::posts::create_post(&app, &body, None)
                    .map(|(_, v)| v["post"]["_id"].as_str().map(str::to_string))
                    .map_err(|e| vec![code_of(&e)])
            }
        });
        let mut entry = json!({ "rowIndex": i + 1 });
        match outcome {
            Ok(id) => {
                valid += 1;
                entry["ok"] = json!(true);
                if let Some(id) = id {
                    entry["createdPostId"] = json!(id);
                }
            }
            Err(errors) => {
                entry["ok"] = json!(false);
                entry["errors"] = json!(errors);
            }
        }
        results.push(entry);
    }
    let total = results.len();
    let status = if valid == total || valid == 0 {
        StatusCode::OK
    } else {
        StatusCode::MULTI_STATUS
    };
    let out = json!({
        "total": total,
        "valid": valid,
        "invalid": total - valid,
        "results": results,
        "warnings": warnings,
    });
    Ok((status, Json(out)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_escapes_and_line_endings() {
        let rows = parse_csv("a,b\r\n\"x, \"\"y\"\"\",2\n\n3,\"multi\nline\"").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["a".to_string(), "b".into()],
                vec!["x, \"y\"".into(), "2".into()],
                vec!["3".into(), "multi\nline".into()],
            ]
        );
        assert!(parse_csv("\"open").is_err());
    }

    #[test]
    fn schedule_times() {
        assert_eq!(
            schedule("2026-09-01 10:00").as_deref(),
            Some("2026-09-01T10:00:00.000Z")
        );
        assert!(schedule("tomorrow").is_none());
    }
}
