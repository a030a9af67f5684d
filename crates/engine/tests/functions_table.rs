//! Every function the parser knows (`promql::functions()`) has an implementation in the engine.

#[test]
fn every_signature_has_an_implementation() {
    let missing: Vec<&str> = promql::functions().iter().map(|f| f.name).filter(|n| !engine::is_implemented(n)).collect();
    assert!(missing.is_empty(), "functions without an implementation: {missing:?}");
}
