//! The audit's fixture: an article that passes all 24 checks, in a small site where two other
//! articles link to it and it links to both, with helpers to read `check --format json`.

use super::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every test measures freshness from this date.
pub const TODAY: (&str, &str) = ("STACKS_BUILD_DATE", "2026-11-23");
pub const SUBJECT: &str = "content/lib/coll/subject.md";

const SENTENCES: [&str; 6] = [
    "A weekly pipeline review works when every open deal is read against the same exit criteria, so the team argues about evidence rather than optimism.",
    "The manager asks for the buyer's next step, its date, and who agreed to it, and writes down any deal where one of the three is missing.",
    "Deals that have sat in a stage for twice the usual time are discussed first, because they distort coverage and the forecast more than any other group.",
    "Reps bring the two or three deals where they want help, which turns the meeting from an inspection into coaching that changes outcomes.",
    "Every change agreed in the meeting is made in the CRM before the call ends, so the record and the conversation never drift apart.",
    "After a month the team compares what the review predicted with what closed, and adjusts the criteria where they proved too loose or too strict.",
];

/// `n` sentences of prose, starting at sentence `from`.
pub fn prose(from: usize, n: usize) -> String {
    (0..n)
        .map(|i| SENTENCES[(from + i) % SENTENCES.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// The parts of the subject article that cases change.
#[derive(Clone)]
pub struct Subject {
    pub front: String,
    pub body: String,
}

/// The opening: it goes on from the direct answer instead of saying it again.
fn intro() -> String {
    let opening = "Most teams already meet about the pipeline every week; few leave the room \
        knowing more than when they came in. The version below is the one we install with clients.";
    format!("{opening}\n\n{}", prose(0, 4))
}

pub fn subject() -> Subject {
    let front = r#"title: How should a team run its weekly pipeline review?
description: A weekly pipeline review that checks every deal against exit criteria and turns the meeting into coaching.
date: 2026-11-01
author: Ana Ruiz
tags: [pipeline, sales management, forecasting]
answer: >-
  Run the review on one report of open deals, read each against the stage exit
  criteria, and start with the deals that have stalled. Ask for the buyer's next
  step, its date and who agreed to it; record every change in the CRM during the
  meeting; and compare what the review predicted with what closed each month so
  the criteria stay honest.
faq:
  - q: How long should the review take?
    a: About an hour for a team of eight, if the report is ready before the meeting.
  - q: Who should attend?
    a: The sales manager and every rep who owns open qualified deals.
  - q: What if a rep has no deals to discuss?
    a: They bring the deal they are least sure about, which is where coaching helps most.
sources:
  - title: Pipeline review practice notes
    url: https://sales-notes.example.org/pipeline-review
"#;
    let body = format!(
        "{intro}\n\n## Prepare one report\n\n{a}\n\nSee [the alpha article](alpha.md) for the report itself.\n\n\
         | Signal | Threshold |\n|---|---|\n| Time in stage | Twice the median |\n| Buyer silence | Three weeks |\n\n\
         ## Read deals against exit criteria\n\n{b}\n\nThe [[beta]] article defines the criteria.\n\n\
         ## Coach, do not inspect\n\n{c}\n\n## Check the review against results\n\n{d}\n",
        intro = intro(),
        a = prose(1, 11),
        b = prose(2, 11),
        c = prose(3, 11),
        d = prose(4, 11),
    );
    Subject {
        front: front.to_string(),
        body,
    }
}

/// A site where the subject passes every check: two other articles link to it, and it links to
/// both of them.
pub fn site(s: &Subject, extra: &[(String, String)]) -> Fixture {
    let mut files: Vec<(String, String)> = vec![
        (
            "content/_index.md".into(),
            "---\ntitle: Home\n---\nA library.\n".into(),
        ),
        (
            "content/lib/_index.md".into(),
            "---\ntitle: Lib\n---\n".into(),
        ),
        (
            "content/lib/coll/_index.md".into(),
            "---\ntitle: Coll\n---\n".into(),
        ),
        (
            "content/lib/coll/alpha.md".into(),
            "---\ntitle: Alpha\ndate: 2026-10-01\n---\n\nRead [the review](subject.md).\n".into(),
        ),
        (
            "content/lib/coll/beta.md".into(),
            "---\ntitle: Beta\ndate: 2026-10-02\n---\n\nSee [[subject]].\n".into(),
        ),
        (SUBJECT.into(), format!("---\n{}---\n\n{}", s.front, s.body)),
    ];
    for (path, text) in extra {
        files.retain(|(p, _)| p != path);
        files.push((path.clone(), text.clone()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Fixture::new(&refs)
}

/// `stacks check --format json` on `site`, with the build date fixed.
pub fn report(site: &Fixture, extra: &[&str]) -> (Run, Value) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let run = site.stacks_env(&args, &[TODAY]);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run, json)
}

pub fn audit_of<'a>(report: &'a Value, article: &str) -> &'a Value {
    report["audit"]
        .as_array()
        .expect("an audit array")
        .iter()
        .find(|a| a["article"] == article)
        .unwrap_or_else(|| panic!("no audit for {article}: {report:#}"))
}

pub fn failing(audit: &Value) -> BTreeSet<String> {
    audit["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// The default theme's `template` with `from` replaced by `to`, as a site override.
pub fn theme_override(template: &str, from: &str, to: &str) -> (String, String) {
    let path = repo().join("themes/default/templates").join(template);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(from),
        "{template} no longer contains {from:?}"
    );
    (format!("templates/{template}"), text.replacen(from, to, 1))
}

/// The subject with one failing check (`fresh`): 13/14.
pub fn stale_site(site_yaml: Option<&str>) -> Fixture {
    let mut s = subject();
    s.front = s.front.replace("date: 2026-11-01", "date: 2025-06-01");
    let extra: Vec<(String, String)> = site_yaml
        .map(|y| vec![("site.yaml".to_string(), y.to_string())])
        .unwrap_or_default();
    site(&s, &extra)
}
