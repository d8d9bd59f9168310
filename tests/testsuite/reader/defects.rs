//! What a careful review of the reader's view found wrong, each measured in the browser the
//! way a reader meets it: colours from the page's computed styles, sizes from rendered boxes.

use super::{ARTICLE, open, site, style};
use crate::common::browser::{self, Chrome, DESKTOP, PHONE, PHONE_390, View};

/// Articles of the sample library that show highlighted code (JSON, Python, SQL, YAML, shell).
const WITH_CODE: [&str; 5] = [
    "/demand-gen/mql-definitions/writing-an-mql-definition/",
    "/demand-gen/lead-scoring/lead-scoring-model/",
    "/revops/forecasting/forecast-accuracy/",
    "/scorecards/metrics/win-rate/",
    "/scorecards/metrics/pipeline-coverage-ratio/",
];

/// Every article page of the sample library, by site path.
fn articles() -> Vec<String> {
    let root = &site().0;
    let mut out: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .filter_map(|e| {
            let html = std::fs::read_to_string(e.path()).ok()?;
            let rel = e.path().parent()?.strip_prefix(root).ok()?;
            html.contains("<article class=\"article\"")
                .then(|| format!("/{}/", rel.to_string_lossy().replace('\\', "/")))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 30, "{out:?}");
    out
}

fn views_both_schemes(view: View) -> [View; 2] {
    [view, view.dark()]
}

#[test]
fn every_highlighted_code_token_reaches_aa_contrast_light_and_dark() {
    let chrome = Chrome::launch();
    let mut failures = Vec::new();
    let mut lowest = f64::MAX;
    for view in views_both_schemes(DESKTOP) {
        for path in WITH_CODE {
            let tab = open(&chrome, path, view);
            let tokens = browser::eval_with_colour(
                &tab,
                "Array.from(document.querySelectorAll('pre.code code, pre.code code span'))
                  .filter(el => Array.from(el.childNodes)
                    .some(n => n.nodeType === 3 && n.textContent.trim()))
                  .map(el => [el.className || 'plain', el.textContent.trim().slice(0, 24),
                              stacksColour.textRatio(el)])",
            );
            let tokens = tokens.as_array().expect("a list of tokens");
            assert!(tokens.len() > 5, "{path}: no highlighted code found");
            for t in tokens {
                let ratio = t[2].as_f64().unwrap();
                lowest = lowest.min(ratio);
                if ratio < 4.5 {
                    let scheme = if view.dark { "dark" } else { "light" };
                    failures.push(format!("{path} {scheme}: {} `{}` {ratio:.2}:1", t[0], t[1]));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "lowest {lowest:.2}:1; under 4.5:1:\n{}",
        failures.join("\n")
    );
}

/// Each line of each diagram label, measured against the same font set at 12 px: a line whose
/// rendered box is shorter than that reference reads smaller than 12 px.
const LABEL_SIZES_JS: &str = r#"(() => {
  const ref = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  ref.setAttribute("width", "400"); ref.setAttribute("height", "100");
  ref.style.position = "absolute"; ref.style.left = "0"; ref.style.top = "0";
  const refText = document.createElementNS("http://www.w3.org/2000/svg", "text");
  refText.setAttribute("y", "50"); refText.textContent = "Hg";
  ref.appendChild(refText); document.body.appendChild(ref);
  const out = [];
  document.querySelectorAll("figure.diagram svg").forEach((svg, i) => {
    svg.querySelectorAll("text").forEach(t => {
      const lines = t.querySelectorAll("tspan.text-outer-tspan");
      const family = getComputedStyle(t).fontFamily;
      refText.style.fontFamily = family; refText.style.fontSize = "12px";
      const min = refText.getBoundingClientRect().height;
      (lines.length ? Array.from(lines) : [t]).forEach(line => {
        const h = line.getBoundingClientRect().height;
        if (line.textContent.trim() && h > 0) out.push([i, line.textContent.trim(), h, min]);
      });
    });
  });
  ref.remove();
  return out;
})()"#;

#[test]
fn diagram_labels_never_render_below_12_px_on_a_phone_or_a_laptop() {
    let chrome = Chrome::launch();
    let with_diagrams: Vec<String> = articles()
        .into_iter()
        .filter(|p| {
            let file = site().0.join(p.trim_matches('/')).join("index.html");
            std::fs::read_to_string(file).is_ok_and(|h| h.contains("<figure class=\"diagram"))
        })
        .collect();
    assert!(with_diagrams.len() >= 10, "{with_diagrams:?}");
    let mut small = Vec::new();
    let mut smallest = f64::MAX;
    for view in [PHONE_390, DESKTOP] {
        for path in &with_diagrams {
            let tab = open(&chrome, path, view);
            let lines = browser::eval(&tab, LABEL_SIZES_JS);
            let lines = lines.as_array().unwrap();
            assert!(!lines.is_empty(), "{path}: no diagram labels");
            for l in lines {
                let (h, min) = (l[2].as_f64().unwrap(), l[3].as_f64().unwrap());
                smallest = smallest.min(h / min * 12.0);
                if h + 0.25 < min {
                    small.push(format!(
                        "{path} at {}px: `{}` renders as {:.1} px",
                        view.width,
                        l[1].as_str().unwrap(),
                        h / min * 12.0
                    ));
                }
            }
            let _ = tab.close(false);
        }
    }
    assert!(
        small.is_empty(),
        "smallest {smallest:.1} px; {} label line(s) under 12 px:\n{}",
        small.len(),
        small.join("\n")
    );
}

#[test]
fn every_diagram_opens_full_size() {
    let chrome = Chrome::launch();
    let tab = open(
        &chrome,
        "/demand-gen/lead-scoring/lead-scoring-model/",
        PHONE_390,
    );
    let natural = browser::eval(
        &tab,
        "document.querySelector('figure.diagram svg').viewBox.baseVal.width",
    )
    .as_f64()
    .unwrap();
    tab.wait_for_element("figure.diagram .diagram-zoom")
        .expect("a full-size button on the diagram")
        .click()
        .unwrap();
    let shown = browser::eval(
        &tab,
        "(() => { const d = document.querySelector('dialog.diagram-view');
          if (!d || !d.open) return null;
          return d.querySelector('svg').getBoundingClientRect().width; })()",
    );
    let shown = shown.as_f64().expect("the full-size view is open");
    assert!(
        shown >= natural - 1.0,
        "full size shows {shown} px of {natural}"
    );
    tab.press_key("Escape").unwrap();
    let open_after = browser::eval(&tab, "document.querySelector('dialog.diagram-view').open");
    assert_eq!(open_after, false, "Escape closes the full-size view");
}

#[test]
fn edge_labels_and_group_titles_keep_their_backing() {
    let chrome = Chrome::launch();
    for view in views_both_schemes(DESKTOP) {
        let tab = open(&chrome, "/revops/pipeline/lead-to-revenue-process/", view);
        let fills = browser::eval(
            &tab,
            "Array.from(document.querySelectorAll('figure.diagram .edgeLabel rect'))
               .map(r => [getComputedStyle(r).fill, getComputedStyle(r).opacity])",
        );
        let fills = fills.as_array().unwrap();
        assert!(!fills.is_empty(), "the diagram has edge labels");
        for f in fills {
            assert!(
                f[0] != "none" && f[1].as_str().unwrap().parse::<f64>().unwrap() > 0.5,
                "an edge label lost its backing ({}): {f}",
                if view.dark { "dark" } else { "light" }
            );
        }
        // Group titles sit on their group's border: a halo in the group's colour keeps lines
        // from running through the letters.
        let halos = browser::eval(
            &tab,
            "Array.from(document.querySelectorAll('figure.diagram .cluster-label text'))
               .map(t => [getComputedStyle(t).stroke, getComputedStyle(t).paintOrder,
                          parseFloat(getComputedStyle(t).strokeWidth)])",
        );
        let halos = halos.as_array().unwrap();
        assert!(!halos.is_empty(), "the diagram has group titles");
        for h in halos {
            assert!(
                h[0] != "none"
                    && h[1].as_str().unwrap().starts_with("stroke")
                    && h[2].as_f64().unwrap() >= 2.0,
                "a group title has no halo: {h}"
            );
        }
    }
}

#[test]
fn an_article_appears_once_in_the_footer_in_compact_entries() {
    let chrome = Chrome::launch();
    for path in articles() {
        let tab = open(&chrome, &path, DESKTOP);
        let entries = browser::eval(
            &tab,
            "Array.from(document.querySelectorAll(
               '.article-footer .related li, .article-footer .more-in-collection li, .article-footer .backlinks li'))
             .map(li => { const s = getComputedStyle(li);
               return [li.querySelector('a').getAttribute('href'),
                       li.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom),
                       parseFloat(s.lineHeight)]; })",
        );
        let mut seen = std::collections::HashSet::new();
        for e in entries.as_array().unwrap() {
            let href = e[0].as_str().unwrap().to_string();
            assert!(seen.insert(href.clone()), "{path}: {href} listed twice");
            let (height, line) = (e[1].as_f64().unwrap(), e[2].as_f64().unwrap());
            assert!(
                height <= line * 3.1,
                "{path}: the entry for {href} is {height} px tall, more than a title and its trail"
            );
        }
        let _ = tab.close(false);
    }
}

#[test]
fn print_shows_every_faq_answer_the_source_urls_and_where_the_page_lives() {
    use headless_chrome::protocol::cdp::Emulation;
    let chrome = Chrome::launch();
    let tab = open(&chrome, ARTICLE, DESKTOP);
    tab.call_method(Emulation::SetEmulatedMedia {
        media: Some("print".into()),
        features: None,
    })
    .unwrap();
    let hidden = browser::eval(
        &tab,
        "Array.from(document.querySelectorAll('.faq details'))
           .map(d => d.querySelector(':scope > :not(summary)'))
           .filter(p => !p || p.getBoundingClientRect().height < 1).length",
    );
    assert_eq!(hidden, 0, "FAQ answers hidden in print");
    let urls = browser::eval(
        &tab,
        "Array.from(document.querySelectorAll('.sources a[href^=\"http\"]'))
           .map(a => [a.href, getComputedStyle(a, '::after').content])",
    );
    let urls = urls.as_array().unwrap();
    assert!(!urls.is_empty());
    for u in urls {
        let (href, printed) = (u[0].as_str().unwrap(), u[1].as_str().unwrap());
        assert!(
            printed.contains(href.trim_end_matches('/')),
            "{href} is not printed: {printed}"
        );
    }
    let printed = browser::eval(&tab, "document.body.innerText");
    let printed = printed.as_str().unwrap();
    assert!(
        printed.contains("Ledgerline Revenue Library")
            && printed.contains(&format!("https://ledgerline.example{ARTICLE}")),
        "the printout names the site and the page's address"
    );
}

#[test]
fn on_a_phone_the_direct_answer_starts_on_the_first_screen() {
    let chrome = Chrome::launch();
    for path in [
        ARTICLE,
        "/fractional-cro/engagement-model/engagement-timeline/",
    ] {
        let tab = open(&chrome, path, PHONE_390);
        let top = browser::eval(
            &tab,
            "document.querySelector('.answer p').getBoundingClientRect().top",
        )
        .as_f64()
        .unwrap();
        // The label and at least three lines of the answer are visible without scrolling.
        assert!(
            top + 80.0 <= f64::from(PHONE_390.height),
            "{path}: the answer's text starts at {top} px of {}",
            PHONE_390.height
        );
    }
}

#[test]
fn badges_the_answer_label_and_the_search_box_have_enough_contrast() {
    let chrome = Chrome::launch();
    for view in views_both_schemes(DESKTOP) {
        let scheme = if view.dark { "dark" } else { "light" };
        let tab = open(&chrome, ARTICLE, view);
        let text = browser::eval_with_colour(
            &tab,
            "Array.from(document.querySelectorAll('.audit-score, .answer h2, .tags a, .article-meta'))
               .map(el => [el.className || el.tagName, stacksColour.textRatio(el)])",
        );
        for t in text.as_array().unwrap() {
            let ratio = t[1].as_f64().unwrap();
            assert!(ratio >= 4.5, "{scheme}: {} text {ratio:.2}:1", t[0]);
        }
        // Non-text contrast (WCAG 1.4.11): the box's edge and its focus indicator, 3:1.
        let border = browser::eval_with_colour(
            &tab,
            "(() => { const i = document.querySelector('.site-search input');
               const c = stacksColour;
               return c.ratio(c.parse(getComputedStyle(i).borderTopColor), c.background(i.parentElement)); })()",
        );
        let border = border.as_f64().unwrap();
        assert!(border >= 3.0, "{scheme}: search box border {border:.2}:1");
        tab.wait_for_element(".site-search input")
            .unwrap()
            .focus()
            .unwrap();
        let ring = browser::eval_with_colour(
            &tab,
            "(() => { const i = document.activeElement; const s = getComputedStyle(i);
               const c = stacksColour;
               const colour = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
                 ? s.outlineColor : null;
               return colour ? c.ratio(c.parse(colour), c.background(i.parentElement)) : 0; })()",
        );
        let ring = ring.as_f64().unwrap();
        assert!(ring >= 3.0, "{scheme}: focus ring {ring:.2}:1");
    }
}

/// Characters that only an emoji font draws; without one they are empty boxes.
const PICTOGRAPHS_JS: &str = r"(() => {
  const found = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const m = walk.currentNode.textContent.match(/\p{Extended_Pictographic}/gu);
    if (m) found.push(...m);
  }
  return found;
})()";

#[test]
fn no_page_depends_on_an_emoji_font_and_the_badge_icon_has_a_text_alternative() {
    let chrome = Chrome::launch();
    for path in ["/", ARTICLE, "/audit/", "/tags/"] {
        let tab = open(&chrome, path, DESKTOP);
        let found = browser::eval(&tab, PICTOGRAPHS_JS);
        assert_eq!(found, serde_json::json!([]), "{path}: emoji in the text");
    }
    let tab = open(&chrome, ARTICLE, DESKTOP);
    let icons = browser::eval(
        &tab,
        "Array.from(document.querySelectorAll('.audit-badge svg'))
           .map(s => [s.getAttribute('role'), s.getAttribute('aria-label'),
                      s.getBoundingClientRect().width])",
    );
    let icons = icons.as_array().unwrap();
    assert!(!icons.is_empty(), "the badge draws its icon as SVG");
    for i in icons {
        assert_eq!(i[0], "img");
        assert!(i[1].as_str().is_some_and(|l| !l.is_empty()), "{i}");
        assert!(i[2].as_f64().unwrap() > 8.0, "the icon is drawn: {i}");
    }
}

#[test]
fn wide_tables_scroll_in_a_focusable_frame_with_a_cue() {
    let chrome = Chrome::launch();
    let mut wide = 0;
    for path in articles() {
        let tab = open(&chrome, &path, PHONE);
        let frames = browser::eval(
            &tab,
            "Array.from(document.querySelectorAll('.article-body table')).map(t => {
               const f = t.closest('.table-scroll');
               return f && [f.scrollWidth > f.clientWidth, f.tabIndex, f.getAttribute('role'),
                 f.getAttribute('aria-label'), getComputedStyle(f).backgroundImage];
             })",
        );
        for f in frames.as_array().unwrap() {
            let f = f
                .as_array()
                .unwrap_or_else(|| panic!("{path}: a table outside a .table-scroll frame"));
            assert_eq!(f[1], 0, "{path}: the frame is reachable by keyboard");
            assert_eq!(f[2], "region", "{path}");
            assert!(f[3].as_str().is_some_and(|l| !l.is_empty()), "{path}");
            if f[0] == true {
                wide += 1;
                assert!(
                    f[4].as_str().unwrap().contains("gradient"),
                    "{path}: a wide table shows a scroll shadow: {f:?}"
                );
            }
        }
        let _ = tab.close(false);
    }
    assert!(wide > 0, "some table of the library is wider than a phone");
}

#[test]
fn the_phone_breadcrumb_stays_on_one_line() {
    let chrome = Chrome::launch();
    for path in articles() {
        let tab = open(&chrome, &path, PHONE);
        let tops = browser::eval(
            &tab,
            "Array.from(document.querySelectorAll('.breadcrumb li'))
               .filter(li => li.getBoundingClientRect().width > 1)
               .map(li => li.getBoundingClientRect().top)",
        );
        let tops: Vec<f64> = serde_json::from_value(tops).unwrap();
        assert!(
            tops.windows(2).all(|w| (w[0] - w[1]).abs() < 1.0),
            "{path}: the breadcrumb wraps: {tops:?}"
        );
        let _ = tab.close(false);
    }
}

#[test]
fn word_counts_have_thousands_separators_and_every_page_has_a_favicon() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, ARTICLE, DESKTOP);
    let words = style(&tab, ".word-count", "display");
    assert_ne!(words, "none");
    let text = browser::eval(&tab, "document.querySelector('.word-count').textContent");
    let text = text.as_str().unwrap();
    let n = text.split_whitespace().next().unwrap();
    assert!(
        n.len() > 3 && n.contains(','),
        "a count over 999 is grouped: {text}"
    );
    let icon = browser::eval(
        &tab,
        "(document.querySelector('link[rel~=icon]') || {}).href || null",
    );
    let icon = icon.as_str().expect("a favicon link");
    let resp = ureq::get(icon).call().expect("the favicon is served");
    assert_eq!(resp.status().as_u16(), 200);
}

#[test]
fn a_collection_lists_its_articles_in_the_reading_order_its_intro_describes() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, "/fractional-cro/engagement-model/", DESKTOP);
    let order = browser::eval(
        &tab,
        "Array.from(document.querySelectorAll('main .page-list a.page-list-title')).map(a => a.getAttribute('href'))",
    );
    let order: Vec<String> = serde_json::from_value(order).unwrap();
    // The intro: priced, then each phase, then measured, then handed off.
    let expected = [
        "/fractional-cro/engagement-model/fractional-cro-pricing/",
        "/fractional-cro/engagement-model/engagement-timeline/",
        "/fractional-cro/engagement-model/measuring-fractional-cro-success/",
        "/fractional-cro/engagement-model/handing-off-to-a-full-time-leader/",
    ];
    assert_eq!(order, expected);
}
