//! A small `multipart/form-data` reader for the routes that take files (CSV bulk upload): parts
//! with their field name, file name, content type and bytes, as browsers and undici write them.

use bytes::Bytes;

/// One part of a form.
#[derive(Debug)]
pub(crate) struct FormPart {
    /// The field name.
    pub name: String,
    /// `filename="…"`, for file parts.
    pub filename: Option<String>,
    /// The part's `Content-Type`, if sent.
    pub content_type: Option<String>,
    /// The part's bytes.
    pub data: Bytes,
}

/// The `boundary` parameter of a `multipart/form-data` content type.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let mut it = content_type.split(';');
    if !it
        .next()?
        .trim()
        .eq_ignore_ascii_case("multipart/form-data")
    {
        return None;
    }
    it.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
    })
    .filter(|b| !b.is_empty())
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let last = hay.len() - needle.len();
    let mut i = from;
    while i <= last {
        match hay[i..=last].iter().position(|&b| b == first) {
            None => return None,
            Some(off) => {
                i += off;
                if &hay[i..i + needle.len()] == needle {
                    return Some(i);
                }
                i += 1;
            }
        }
    }
    None
}

/// `%22`, `%0A`, `%0D` back to `"`, LF, CR (how field and file names are escaped).
fn unescape(s: &str) -> String {
    s.replace("%22", "\"")
        .replace("%0A", "\n")
        .replace("%0D", "\r")
}

/// The value of `key="…"` in a `Content-Disposition` header.
fn param(header: &str, key: &str) -> Option<String> {
    let mut rest = header;
    while let Some(pos) = rest.find(';') {
        rest = &rest[pos + 1..];
        let item = rest.trim_start();
        let Some((k, v)) = item.split_once('=') else {
            continue;
        };
        if !k.trim().eq_ignore_ascii_case(key) {
            continue;
        }
        if let Some(quoted) = v.strip_prefix('"') {
            return quoted.find('"').map(|end| unescape(&quoted[..end]));
        }
        return Some(v.split(';').next().unwrap_or("").trim().to_string());
    }
    None
}

/// Splits `body` into its parts. Errors name what is malformed.
pub(crate) fn parse(boundary: &str, body: &Bytes) -> Result<Vec<FormPart>, String> {
    let delim = format!("--{boundary}");
    let next_delim = format!("\r\n--{boundary}");
    let mut pos = find(body, delim.as_bytes(), 0).ok_or("no opening boundary")? + delim.len();
    let mut parts = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[pos..].starts_with(b"\r\n") {
            return Err("a boundary is not followed by CRLF".into());
        }
        pos += 2;
        let head_end = find(body, b"\r\n\r\n", pos).ok_or("a part has no end of headers")?;
        let head =
            std::str::from_utf8(&body[pos..head_end]).map_err(|_| "part headers are not UTF-8")?;
        let mut name = None;
        let mut filename = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            if k.trim().eq_ignore_ascii_case("content-disposition") {
                name = param(v, "name");
                filename = param(v, "filename");
            } else if k.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(v.trim().to_string());
            }
        }
        let start = head_end + 4;
        let end =
            find(body, next_delim.as_bytes(), start).ok_or("a part is not closed by a boundary")?;
        parts.push(FormPart {
            name: name.ok_or("a part has no name")?,
            filename,
            content_type,
            data: body.slice(start..end),
        });
        pos = end + next_delim.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_and_file_parts() {
        let body = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"dry%22Run\"\r\n\r\ntrue\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\r\n--XyZ--\r\n",
        );
        assert_eq!(
            boundary("multipart/form-data; boundary=XyZ").as_deref(),
            Some("XyZ")
        );
        let parts = parse("XyZ", &body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "dry\"Run");
        assert_eq!(&parts[0].data[..], b"true");
        assert_eq!(parts[1].filename.as_deref(), Some("p.csv"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/csv"));
        assert_eq!(&parts[1].data[..], b"a,b\r\n1,2\r\n");
    }

    #[test]
    fn malformed_bodies_are_errors() {
        assert!(parse("b", &Bytes::from_static(b"nothing")).is_err());
        assert!(parse(
            "b",
            &Bytes::from_static(b"--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nopen")
        )
        .is_err());
        assert!(boundary("application/json").is_none());
    }
}
