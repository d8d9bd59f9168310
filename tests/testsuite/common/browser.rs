//! A real browser for tests: Debian's `chromium`, headless, driven over the DevTools protocol,
//! and a small static file server so pages load over HTTP on loopback as a host would serve them.

use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Finds the browser binary: `$CHROME`, else `chromium` or `chromium-browser` on `PATH`.
/// Without one the test fails and says what to install; browser tests never pass silently.
pub fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("CHROME").map(PathBuf::from)
        && p.is_file()
    {
        return p;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "browser tests need Chromium and none was found: install Debian's package with \
         `apt-get install -y chromium` (or set CHROME=/path/to/chromium); .ci/run does this"
    );
}

/// A headless Chromium.
pub struct Chrome {
    browser: Browser,
}

/// Viewport of a tab.
#[derive(Clone, Copy, Debug)]
pub struct View {
    pub width: u32,
    pub height: u32,
    pub dark: bool,
}

pub const PHONE: View = View {
    width: 375,
    height: 812,
    dark: false,
};
/// A current phone, as readers hold it: 390 × 844 CSS pixels.
pub const PHONE_390: View = View {
    width: 390,
    height: 844,
    dark: false,
};
pub const DESKTOP: View = View {
    width: 1280,
    height: 900,
    dark: false,
};

impl View {
    pub fn dark(self) -> Self {
        Self { dark: true, ..self }
    }
}

impl Chrome {
    pub fn launch() -> Self {
        let options = LaunchOptions::default_builder()
            .path(Some(chromium()))
            .headless(true)
            .sandbox(false)
            .window_size(Some((1280, 900)))
            .idle_browser_timeout(Duration::from_secs(120))
            .build()
            .expect("browser options");
        let browser = Browser::new(options).expect("launch chromium");
        Self { browser }
    }

    /// A new tab with the given viewport, showing `url`.
    pub fn open(&self, url: &str, view: View) -> Arc<Tab> {
        let tab = self.browser.new_tab().expect("new tab");
        tab.set_default_timeout(Duration::from_secs(20));
        set_view(&tab, view);
        tab.navigate_to(url).expect("navigate");
        tab.wait_until_navigated().expect("page loads");
        tab
    }
}

/// Sets the viewport size and the emulated colour scheme of `tab`.
pub fn set_view(tab: &Tab, view: View) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width: view.width,
        height: view.height,
        device_scale_factor: 1.0,
        mobile: view.width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("set viewport");
    tab.call_method(Emulation::SetEmulatedMedia {
        media: None,
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".into(),
            value: if view.dark { "dark" } else { "light" }.into(),
        }]),
    })
    .expect("emulate colour scheme");
}

/// Evaluates `expr` (which must produce a JSON-serialisable value) in the page.
pub fn eval(tab: &Tab, expr: &str) -> serde_json::Value {
    try_eval(tab, expr).unwrap_or_else(|| panic!("evaluating {expr} failed"))
}

/// Like [`eval`], but `None` when the page is between documents.
pub fn try_eval(tab: &Tab, expr: &str) -> Option<serde_json::Value> {
    let wrapped = format!("JSON.stringify((() => {{ return {expr}; }})())");
    let out = tab.evaluate(&wrapped, false).ok()?;
    let text = out
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "null".into());
    serde_json::from_str(&text).ok()
}

/// Saves a full-page screenshot under `target/screenshots/<name>.png` for review.
pub fn screenshot(tab: &Tab, view: View, name: &str) -> PathBuf {
    let height = eval(tab, "document.documentElement.scrollHeight")
        .as_u64()
        .unwrap_or(u64::from(view.height))
        .clamp(u64::from(view.height), 8000);
    set_view(
        tab,
        View {
            height: u32::try_from(height).unwrap_or(8000),
            ..view
        },
    );
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("screenshot");
    set_view(tab, view);
    let dir = super::repo().join("target").join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write screenshot");
    path
}

/// Serves the files of `root` on a free loopback port until the process ends, the way a static
/// host does: `dir/` serves `dir/index.html`, and unknown paths get `404.html` with status 404.
pub fn serve_dir(root: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    format!("http://{addr}")
}

fn answer(mut stream: TcpStream, root: &Path) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Drain the headers.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut file = root.join(path.trim_start_matches('/'));
    if path.split('/').any(|part| part == "..") {
        file = root.join("missing");
    }
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let mime = mime_guess::from_path(&file).first_or_octet_stream();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// Defines `stacksColour` in the page: WCAG 2 contrast measured from computed colours.
/// `textRatio(el)` is the contrast of `el`'s text against what is painted behind it (its own
/// and its ancestors' backgrounds, blended down to an opaque one).
const COLOUR_JS: &str = r#"window.stacksColour = (() => {
  const parse = (css) => {
    const m = /rgba?\(([^)]+)\)/.exec(css || "");
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  const blend = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let c = { r: 255, g: 255, b: 255, a: 1 };
    for (const l of layers.reverse()) c = blend(l, c);
    return c;
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const textRatio = (el, pseudo) => {
    const fg = parse(getComputedStyle(el, pseudo).color);
    const bg = background(el);
    return ratio(blend(fg, bg), bg);
  };
  return { parse, background, ratio, textRatio, blend };
})(); 1"#;

/// Evaluates `expr` after defining `stacksColour` (see [`COLOUR_JS`]) in the page.
pub fn eval_with_colour(tab: &Tab, expr: &str) -> serde_json::Value {
    eval(tab, COLOUR_JS);
    eval(tab, expr)
}

/// axe-core's browser script. It is a test tool from npm, not part of the site: `.ci/run`
/// installs it under `target/axe/`; `AXE_CORE` may name another copy of `axe.min.js`.
/// Without it the test fails and says how to install it; it never passes silently.
pub fn axe_script() -> String {
    let path = std::env::var_os("AXE_CORE").map_or_else(
        || super::repo().join("target/axe/node_modules/axe-core/axe.min.js"),
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "accessibility tests need axe-core and {} could not be read ({e}): install it with \
             `npm install --prefix target/axe axe-core@4` (as .ci/run does), or set AXE_CORE to \
             the path of axe.min.js",
            path.display()
        )
    })
}

/// Runs axe-core's WCAG 2.0 and 2.1 A and AA rules on the page in `tab`; returns each
/// violation as `rule id: selectors of the elements`.
pub fn axe_violations(tab: &Tab, script: &str) -> Vec<String> {
    tab.evaluate(script, false).expect("inject axe-core");
    let run = r#"axe.run(document, { runOnly: { type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] })
      .then(r => JSON.stringify(r.violations.map(v =>
        v.id + " (" + v.nodes.length + "): " + v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(" | "))))"#;
    let out = tab.evaluate(run, true).expect("run axe-core");
    let text = out
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .expect("axe-core returned its results");
    serde_json::from_str(&text).expect("axe-core results are JSON")
}
