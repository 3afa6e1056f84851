//! The route table against the repository's spec, read here on its own: every operation is in
//! the table, the matcher finds each one from a concrete path, and exactly the operations that
//! declare the `Idempotency-Key` header are marked as deduped by it.

use serde_json::Value;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/openapi.json");
    let text = std::fs::read_to_string(path).expect("spec/openapi.json is in the repository");
    serde_json::from_str(&text).expect("the spec is JSON")
}

fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .trim_start_matches("#/")
            .split('/')
            .fold(spec, |o, k| &o[k]),
        None => v,
    }
}

fn declares_key(spec: &Value, item: &Value, op: &Value) -> bool {
    let params = |v: &Value| v["parameters"].as_array().cloned().unwrap_or_default();
    params(item).iter().chain(params(op).iter()).any(|p| {
        let p = resolve(spec, p);
        p["in"] == "header"
            && p["name"].as_str().map(str::to_ascii_lowercase).as_deref() == Some("idempotency-key")
    })
}

/// `/v1/posts/{postId}/retry` → `/v1/posts/p1x/retry`.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|s| if s.starts_with('{') { "p1x" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn the_table_is_the_spec() {
    let spec = spec();
    assert_eq!(late_spec::SPEC_VERSION, spec["info"]["version"]);
    let mut expected = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for m in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(m) else { continue };
            expected.push((
                op["operationId"].as_str().unwrap().to_string(),
                m.to_ascii_uppercase(),
                path.clone(),
                declares_key(&spec, item, op),
            ));
        }
    }
    let mut table: Vec<_> = late_spec::operations()
        .iter()
        .map(|o| {
            (
                o.id.to_string(),
                o.method.as_str().to_string(),
                o.path.to_string(),
                o.idempotency_key,
            )
        })
        .collect();
    // serde_json reads the paths in key order; the table keeps the spec's order.
    table.sort();
    expected.sort();
    let missing: Vec<_> = expected.iter().filter(|e| !table.contains(e)).collect();
    let extra: Vec<_> = table.iter().filter(|e| !expected.contains(e)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "not in the table: {missing:?}\nnot in the spec: {extra:?}"
    );
    let keyed = expected.iter().filter(|e| e.3).count();
    let posts = expected.iter().filter(|e| e.1 == "POST").count();
    assert_eq!(
        (keyed, posts),
        (37, 365),
        "spec 1.444.0: 37 of 365 POSTs accept Idempotency-Key"
    );
}

#[test]
fn every_operation_is_found_from_a_concrete_path() {
    for op in late_spec::operations() {
        let found = late_spec::find(op.method.as_str(), &concrete(op.path))
            .unwrap_or_else(|| panic!("{} {} not found", op.method.as_str(), op.path));
        // A concrete path can fit a literal route of the same shape first (`/v1/ads/boost` for
        // `/v1/ads/{adId}` with adId = `boost`); with `p1x` as every parameter it never does.
        assert_eq!(found.id, op.id, "{} {}", op.method.as_str(), op.path);
    }
}
