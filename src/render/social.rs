//! Social cards: the image a link preview shows for an article (`og:image`), drawn at build
//! time from the theme's `social-card.svg` template with the article's title, library and
//! audit scores, and turned into a PNG with resvg.
//!
//! Cards come after the audit, since they show its scores. Each is known by a hash of its SVG
//! and of what draws it (this build of stacks, the installed fonts): a published card made from
//! the same is kept as it is, and a drawn one is kept in the build cache, so an unchanged card
//! is drawn once.

use super::Engine;
use super::context::ImageRef;
use crate::cache::Memo;
use crate::cache::memo;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::output::{Output, Previous, fingerprint_of};
use base64::Engine as _;
use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use serde::Serialize;
use std::sync::{Arc, LazyLock};

/// The theme's template of a card; a theme without it has no cards.
pub(crate) const CARD_TEMPLATE: &str = "social-card.svg";
/// Where cards are published: `social/<the page's path>.png`.
const CARD_DIR: &str = "social";
/// Card size: what link previews show uncropped.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 630;

/// The width the default template gives the title, in pixels, and the title sizes it tries,
/// largest first, each with the lines it allows.
const TITLE_WIDTH: f32 = 1040.0;
const TITLE_SIZES: [(u32, usize); 3] = [(64, 3), (54, 4), (46, 5)];
/// A sans-serif bold letter's average advance, in ems: generous, so that a line of wide
/// letters still fits.
const AVERAGE_ADVANCE: f32 = 0.62;

/// The machine's fonts, loaded once, and a hash of which they are: a card drawn with other
/// fonts is another card.
struct Fonts {
    db: Arc<usvg::fontdb::Database>,
    key: blake3::Hash,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_system_fonts();
    let mut faces: Vec<String> = db
        .faces()
        .map(|f| {
            let source = match &f.source {
                usvg::fontdb::Source::File(p) | usvg::fontdb::Source::SharedFile(p, _) => {
                    p.display().to_string()
                }
                usvg::fontdb::Source::Binary(_) => String::new(),
            };
            format!(
                "{source}\0{}\0{}\0{:?}",
                f.index, f.post_script_name, f.weight
            )
        })
        .collect();
    faces.sort_unstable();
    let key = blake3::hash(faces.join("\n").as_bytes());
    Fonts {
        db: Arc::new(db),
        key,
    }
});

/// An article's audit scores as its card shows them.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct CardScore {
    /// Editorial checks passed and run.
    pub editorial: Tally,
    /// Machine checks passed and run.
    pub machine: Tally,
}

/// Checks passed out of checks run.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Tally {
    /// Passed.
    pub score: usize,
    /// Run.
    pub total: usize,
}

/// What `social-card.svg` sees as `card`. The template escapes text itself (autoescape is on
/// for `.svg` templates).
#[derive(Serialize)]
struct CardView<'a> {
    /// The article's title.
    title: &'a str,
    /// The title broken into lines that fit the default template at `title_size`.
    title_lines: Vec<String>,
    /// The title's font size, in pixels: smaller for longer titles.
    title_size: u32,
    /// The library (top-level section) the article is in; empty for an article at the top.
    library: &'a str,
    /// The site's title.
    site: &'a str,
    /// The audit's scores, when the article was audited.
    score: Option<CardScore>,
}

/// Draws the cards of one site: made once per build when the site has cards.
pub(crate) struct Cards<'a> {
    site: &'a Site,
    engine: &'a Engine,
    memo: &'a Memo,
}

/// One batch of cards: those drawn (or taken from the build cache), and the paths of published
/// ones made from the same inputs, to keep as they are.
#[derive(Default)]
pub(crate) struct Batch {
    /// Cards to write.
    pub drawn: Vec<Output>,
    /// Published cards to keep.
    pub kept: Vec<String>,
}

/// Whether this site's articles get cards: `social.cards` is on and the theme has a template.
pub(crate) fn enabled(site: &Site, engine: &Engine) -> bool {
    site.config.social.cards && engine.has(CARD_TEMPLATE)
}

/// Where the card of page `path` is published, relative to the site root.
fn card_path(path: &str) -> String {
    let stem = path.trim_end_matches('/');
    let stem = stem.strip_suffix(".html").unwrap_or(stem);
    format!("{CARD_DIR}/{stem}.png")
}

/// The card of article `id` as `og:image` names it.
pub(crate) fn image(site: &Site, id: PageId) -> ImageRef {
    let p = &site.pages[id];
    ImageRef {
        url: site.base.absolute(&card_path(&p.path)),
        width: WIDTH,
        height: HEIGHT,
        alt: p.title.clone(),
    }
}

impl<'a> Cards<'a> {
    /// Cards for `site`, drawn with `engine`'s template and kept in `memo`; `None` when the
    /// site has none.
    pub(crate) fn new(site: &'a Site, engine: &'a Engine, memo: &'a Memo) -> Option<Self> {
        enabled(site, engine).then_some(Self { site, engine, memo })
    }

    /// The cards of the articles among `ids`, with `score` giving an article's audit scores.
    /// With `previous`, a published card made from the same inputs is kept, not drawn.
    pub(crate) fn batch(
        &self,
        ids: &[PageId],
        score: &(dyn Fn(PageId) -> Option<CardScore> + Sync),
        previous: Option<&Previous>,
        diags: &mut Diagnostics,
    ) -> Batch {
        let results: Vec<Result<Card, Diagnostic>> = ids
            .par_iter()
            .filter(|&&id| self.site.pages[id].is_article())
            .map(|&id| self.card(id, score(id), previous))
            .collect();
        let mut batch = Batch::default();
        for r in results {
            match r {
                Ok(Card::Drawn(o)) => batch.drawn.push(o),
                Ok(Card::Kept(path)) => batch.kept.push(path),
                Err(d) => diags.push(d),
            }
        }
        if !batch.drawn.is_empty() && FONTS.db.is_empty() {
            diags.push(
                Diagnostic::warning(Code::Output, "social cards were drawn without their text: no font is installed")
                    .hint("install a font (on Debian, `apt-get install fonts-dejavu-core`), or set `social: {cards: false}` in site.yaml"),
            );
        }
        batch
    }

    fn card(
        &self,
        id: PageId,
        score: Option<CardScore>,
        previous: Option<&Previous>,
    ) -> Result<Card, Diagnostic> {
        let p = &self.site.pages[id];
        let label = format!("the social card of content/{}", p.rel);
        let svg = self.svg(id, score, &label)?;
        let key = memo::key(&[
            crate::cache::BUILD_ID.as_bytes(),
            FONTS.key.as_bytes(),
            svg.as_bytes(),
        ]);
        let path = card_path(&p.path);
        let inputs = fingerprint_of(&key);
        if previous.is_some_and(|prev| prev.unchanged(&path, &inputs)) {
            // Kept from the published site: its cached drawing stays in the build cache too.
            self.memo.mark_shown(&[*key.as_bytes()]);
            return Ok(Card::Kept(path));
        }
        let png = self
            .memo
            .get_or(key, || draw(&svg).map(|png| Arc::from(encode(&png))))
            .and_then(|text| decode(&text))
            .map_err(|e| {
                Diagnostic::error(Code::Theme, format!("{label} could not be drawn: {e}"))
                    .hint("check the theme's templates/social-card.svg, or set `social: {cards: false}` in site.yaml")
            })?;
        Ok(Card::Drawn(Output {
            inputs: Some(inputs),
            ..Output::bytes(path, png)
        }))
    }

    /// The SVG of article `id`'s card.
    fn svg(&self, id: PageId, score: Option<CardScore>, label: &str) -> Result<String, Diagnostic> {
        let site = self.site;
        let p = &site.pages[id];
        let library = site
            .library(p.section)
            .map_or("", |s| site.sections[s].title.as_str());
        let (title_size, title_lines) = fit(&p.title);
        let view = CardView {
            title: &p.title,
            title_lines,
            title_size,
            library,
            site: &site.config.title,
            score,
        };
        let mut ctx = tera::Context::new();
        ctx.insert("card", &view);
        self.engine
            .tera
            .render(CARD_TEMPLATE, &ctx)
            .map_err(|e| self.engine.diagnostic(&e, Some(label)))
    }
}

/// A card of a batch.
enum Card {
    Drawn(Output),
    Kept(String),
}

/// The largest title size at which `title` fits its lines, with the title broken into them;
/// at the smallest size, the lines it allows, the last ending in an ellipsis.
fn fit(title: &str) -> (u32, Vec<String>) {
    let (mut size, mut max_lines) = TITLE_SIZES[0];
    let mut lines = Vec::new();
    for (s, most) in TITLE_SIZES {
        (size, max_lines) = (s, most);
        lines = wrap(title, line_chars(s));
        if lines.len() <= most {
            return (size, lines);
        }
    }
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        last.push('…');
    }
    (size, lines)
}

/// Characters of an average line at font size `size`.
fn line_chars(size: u32) -> usize {
    (TITLE_WIDTH / (size as f32 * AVERAGE_ADVANCE)) as usize
}

/// `text` broken at spaces into lines of at most `width` characters; a longer word is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            lines.push(word.drain(..width).collect());
        }
        let used = current.chars().count();
        if used > 0 && used + 1 + word.len() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.extend(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The PNG of `svg`, at the card's size.
fn draw(svg: &str) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: Arc::clone(&FONTS.db),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("no room for the card")?;
    let size = tree.size();
    let scale = tiny_skia::Transform::from_scale(
        WIDTH as f32 / size.width(),
        HEIGHT as f32 / size.height(),
    );
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// The build cache keeps text: a PNG is kept in base64.
fn encode(png: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(png)
}

fn decode(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("the build cache holds a damaged card ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_at_spaces_and_long_words_are_cut() {
        assert_eq!(
            wrap("How should you calculate win rate?", 20),
            ["How should you", "calculate win rate?"]
        );
        assert_eq!(wrap("abcdefghij xy", 4), ["abcd", "efgh", "ij", "xy"]);
        assert!(wrap("  ", 10).is_empty());
    }

    #[test]
    fn long_titles_get_a_smaller_size_and_the_longest_an_ellipsis() {
        let (size, lines) = fit("How should you calculate win rate?");
        assert_eq!(size, TITLE_SIZES[0].0);
        assert_eq!(lines.len(), 2);
        let (size, lines) = fit(&"revenue ".repeat(20));
        assert!(size < TITLE_SIZES[0].0);
        assert!(lines.len() <= 5);
        let (size, lines) = fit(&"word ".repeat(200));
        assert_eq!(size, TITLE_SIZES[2].0);
        assert_eq!(lines.len(), TITLE_SIZES[2].1);
        assert!(lines.last().unwrap().ends_with('…'));
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() <= line_chars(size) + 1)
        );
    }

    #[test]
    fn card_paths_sit_under_one_folder() {
        assert_eq!(card_path("a/b/"), "social/a/b.png");
        assert_eq!(card_path("a/b.html"), "social/a/b.png");
    }

    #[test]
    fn pngs_round_trip_through_the_cache_text() {
        let bytes = [0u8, 1, 127, 128, 255];
        assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
    }
}
