//! Property tests of the streaming splitter: for any JSON value under `accounts`, any other
//! fields around it and any way of cutting the body into pieces, the runs hold exactly the
//! array's elements, in order, and the envelope is the body with the array emptied; arbitrary
//! bytes never panic it.

use late_core::Splitter;
use proptest::prelude::*;
use serde_json::{json, Value};

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "\\PC{0,12}".prop_map(Value::String),
        "[\\[\\]{},:\"\\\\ ]{0,8}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z\\]\\[\"]{0,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn split(body: &[u8], cuts: &[usize], run_bytes: usize) -> (Vec<Value>, Vec<u8>) {
    let mut s = Splitter::new("accounts", run_bytes);
    let mut items = Vec::new();
    let mut start = 0;
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
    points.sort_unstable();
    points.push(body.len());
    for p in points {
        if p < start {
            continue;
        }
        for run in s.feed(&body[start..p]) {
            items.extend(
                serde_json::from_slice::<Vec<Value>>(&run.json).expect("a run is a JSON array"),
            );
        }
        start = p;
    }
    let (last, env) = s.finish();
    if let Some(run) = last {
        items.extend(
            serde_json::from_slice::<Vec<Value>>(&run.json).expect("a run is a JSON array"),
        );
    }
    (items, env)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn runs_and_envelope_rebuild_the_body(
        accounts in proptest::collection::vec(value(), 0..12),
        before in proptest::collection::btree_map("[a-z]{1,5}", value(), 0..3),
        after in proptest::collection::btree_map("[a-z]{1,5}", value(), 0..3),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
        run_bytes in 1usize..200,
        pretty in any::<bool>(),
    ) {
        let mut obj = serde_json::Map::new();
        for (k, v) in before { obj.insert(format!("b{k}"), v); }
        obj.insert("accounts".into(), Value::Array(accounts.clone()));
        for (k, v) in after { obj.insert(format!("z{k}"), v); }
        let whole = Value::Object(obj);
        let body = if pretty { serde_json::to_vec_pretty(&whole) } else { serde_json::to_vec(&whole) }.unwrap();
        let (items, env) = split(&body, &cuts, run_bytes);
        prop_assert_eq!(&items, &accounts);
        let mut env: Value = serde_json::from_slice(&env).expect("the envelope is JSON");
        prop_assert_eq!(env["accounts"].take(), json!([]));
        let mut expected = whole.clone();
        expected["accounts"] = json!([]);
        env["accounts"] = json!([]);
        prop_assert_eq!(env, expected);
    }

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..400), cuts in proptest::collection::vec(any::<usize>(), 0..6)) {
        let mut s = Splitter::new("accounts", 16);
        let mut start = 0;
        for c in cuts {
            let p = c % (body.len() + 1);
            if p >= start {
                let _ = s.feed(&body[start..p]);
                start = p;
            }
        }
        let _ = s.feed(&body[start..]);
        let _ = s.finish();
    }
}
