//! `__test__/fixtures/zstd.mjs` is what `cargo run -p late-core --example zstd_fixture` makes.

mod fixture {
    include!("../examples/zstd_fixture.rs");
}

#[test]
fn the_committed_zstd_fixture_is_fresh() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../__test__/fixtures/zstd.mjs"
    );
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fixture::fixture_module(),
        "{} is stale: run `cargo run -p late-core --example zstd_fixture` from the repository root",
        fixture::FIXTURE
    );
}
