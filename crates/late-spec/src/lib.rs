//! The facts of the Late / Zernio API spec that code needs at run time, generated from the
//! repository's `spec/openapi.json` by `npm run generate` (scripts/gen-routes.js) into
//! [`generated`]: every operation's method, path template and operationId, and whether the API
//! dedupes it by `Idempotency-Key`.
//!
//! It is the one owner of that rule. The transport (late-core) reads it to decide which
//! requests may be sent again after a failure and where to send an automatic key; the
//! simulator (late-sim) honours the key exactly where it says the API does.
//!
//! ```
//! let op = late_spec::find("POST", "/v1/posts").unwrap();
//! assert_eq!(op.id, "createPost");
//! assert!(op.idempotency_key);
//! let retry = late_spec::find("POST", "/v1/posts/64f0c1/retry").unwrap();
//! assert_eq!(retry.id, "retryPost");
//! assert!(!retry.idempotency_key);
//! assert!(late_spec::find("POST", "/v1/not-in-the-spec").is_none());
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

#[rustfmt::skip]
#[path = "generated/operations.rs"]
mod generated;

/// An HTTP method of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method named `name` (upper case, as sent), if the spec uses it.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "GET" => Self::Get,
            "POST" => Self::Post,
            "PUT" => Self::Put,
            "PATCH" => Self::Patch,
            "DELETE" => Self::Delete,
            _ => return None,
        })
    }

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One operation of the spec.
#[derive(Debug, PartialEq, Eq)]
pub struct Operation {
    /// The operationId (`createPost`).
    pub id: &'static str,
    /// The method.
    pub method: Method,
    /// The path template relative to the API's base URL (`/v1/posts/{postId}/retry`).
    pub path: &'static str,
    /// Whether the API dedupes the operation by `Idempotency-Key`: the same key and body
    /// replays the first answer, so a request may be sent again with its key.
    pub idempotency_key: bool,
}

/// For the generated table.
pub(crate) const fn op(
    id: &'static str,
    method: Method,
    path: &'static str,
    idempotency_key: bool,
) -> Operation {
    Operation {
        id,
        method,
        path,
        idempotency_key,
    }
}

/// The spec version the table comes from.
pub const SPEC_VERSION: &str = generated::SPEC_VERSION;

/// Every operation of the spec, in spec order.
pub fn operations() -> &'static [Operation] {
    generated::OPERATIONS
}

/// A node of the route tree: a path segment, literal or `{param}`.
#[derive(Default)]
struct Node {
    literal: HashMap<&'static str, Node>,
    param: Option<Box<Node>>,
    /// The operation ending here, per method.
    ops: [Option<u16>; 5],
}

impl Node {
    fn insert(&mut self, segments: &[&'static str], method: Method, index: u16) {
        let Some((first, rest)) = segments.split_first() else {
            self.ops[method.index()] = Some(index);
            return;
        };
        let child = if first.starts_with('{') && first.ends_with('}') {
            self.param.get_or_insert_with(Box::default)
        } else {
            self.literal.entry(first).or_default()
        };
        child.insert(rest, method, index);
    }

    /// The operation for `segments`: a literal segment is preferred to a parameter, as in
    /// OpenAPI's own matching (`/v1/ads/boost` before `/v1/ads/{adId}`), with backtracking.
    fn find(&self, segments: &[&str], method: Method) -> Option<u16> {
        let Some((first, rest)) = segments.split_first() else {
            return self.ops[method.index()];
        };
        if let Some(hit) = self.literal.get(first).and_then(|n| n.find(rest, method)) {
            return Some(hit);
        }
        match &self.param {
            Some(n) if !first.is_empty() => n.find(rest, method),
            _ => None,
        }
    }
}

fn tree() -> &'static Node {
    static TREE: OnceLock<Node> = OnceLock::new();
    TREE.get_or_init(|| {
        let mut root = Node::default();
        for (i, op) in operations().iter().enumerate() {
            let segments: Vec<&'static str> = op.path.split('/').skip(1).collect();
            root.insert(&segments, op.method, i as u16);
        }
        root
    })
}

/// The operation a request goes to: `method` as sent (`POST`) and `path` relative to the API's
/// base URL (`/v1/posts/64f0c1/retry`; a query string is ignored). `None` for a route the spec
/// does not have.
pub fn find(method: &str, path: &str) -> Option<&'static Operation> {
    let method = Method::parse(method)?;
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let rest = path.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    tree()
        .find(&segments, method)
        .and_then(|i| operations().get(usize::from(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_win_over_parameters() {
        let boost = find("POST", "/v1/ads/boost").unwrap();
        assert_eq!(boost.id, "boostPost");
        assert!(boost.idempotency_key);
        let dup = find("POST", "/v1/ads/ad_1/duplicate").unwrap();
        assert_eq!(dup.id, "duplicateAd");
    }

    #[test]
    fn unknown_methods_paths_and_empty_segments_find_nothing() {
        assert!(find("HEAD", "/v1/posts").is_none());
        assert!(find("POST", "v1/posts").is_none());
        assert!(find("POST", "/v1/posts//retry").is_none());
        assert!(find("POST", "/v1/posts/p1/retry/extra").is_none());
        assert_eq!(
            find("GET", "/v1/posts?limit=2").map(|o| o.id),
            Some("listPosts")
        );
    }

    #[test]
    fn the_table_fits_the_index_type() {
        assert!(operations().len() < usize::from(u16::MAX));
    }
}
