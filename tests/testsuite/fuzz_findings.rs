//! Inputs the fuzz targets in `fuzz/` found to break a property, each fed through the public
//! API exactly as found. Each test names the target and what was wrong; the inputs are also in
//! the target's seed corpus (`fuzz/corpus/<target>/regression-*`), so fuzzing retries them.

use stacks::diagnostics::Diagnostics;

/// `front_matter`: a YAML error at the end of a document without a final newline was placed on
/// the line after the last one, which does not exist.
#[test]
fn yaml_error_at_the_end_points_at_the_last_line() {
    let input = "---\ntitmod: 2023-03-01\ndate: 2023-02-24 9:28:00 -0500\natle: A\nextra:\n  a: &a [x, y]\n  b: [*a, *a]\n--";
    let mut diags = Diagnostics::new();
    stacks::internals::config::parse(input, &mut diags);
    let d = diags
        .iter()
        .find(|d| d.is_error())
        .expect("the broken site.yaml is reported");
    assert!(d.message.contains("invalid site.yaml"), "{d}");
    assert_eq!(d.line, Some(8), "{d}");
    assert_eq!(d.col, Some(3), "{d}");
    assert!(d.hint.is_some());
}
