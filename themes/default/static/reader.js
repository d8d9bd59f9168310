// The default theme's reading aids. The page is complete without them (every one is an
// addition): the table of contents marks the section being read, a bar shows how far the reader
// is through the article, code blocks get a copy button, diagrams open full size, and print
// shows every FAQ answer in browsers that cannot open them from CSS.
(() => {
  "use strict";
  const article = document.querySelector("article.article");

  // The section being read: the last heading above a line a quarter down the screen.
  const toc = document.querySelector("nav.toc");
  if (toc && article) {
    const links = new Map();
    toc.querySelectorAll('a[href^="#"]').forEach((a) => {
      const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
      if (target) links.set(target, a);
    });
    const headings = Array.from(links.keys());
    let current = null;
    const mark = () => {
      const line = window.innerHeight / 4;
      let found = null;
      for (const h of headings) {
        if (h.getBoundingClientRect().top <= line) found = h; else break;
      }
      if (found === current) return;
      if (current) links.get(current).removeAttribute("aria-current");
      if (found) links.get(found).setAttribute("aria-current", "location");
      current = found;
    };
    addEventListener("scroll", mark, { passive: true });
    addEventListener("resize", mark);
    mark();
  }

  // How far through the article the reader is.
  if (article) {
    const bar = document.createElement("div");
    bar.className = "reading-progress";
    bar.setAttribute("aria-hidden", "true");
    const fill = document.createElement("span");
    bar.appendChild(fill);
    document.body.prepend(bar);
    const update = () => {
      const box = article.getBoundingClientRect();
      const total = box.height - window.innerHeight;
      const done = total > 0 ? Math.min(1, Math.max(0, -box.top / total)) : 1;
      fill.style.transform = "scaleX(" + done + ")";
    };
    addEventListener("scroll", update, { passive: true });
    addEventListener("resize", update);
    update();
  }

  // A copy button on every code block.
  document.querySelectorAll("pre.code").forEach((pre) => {
    if (!navigator.clipboard) return;
    const wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.replaceWith(wrap);
    wrap.appendChild(pre);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = "Copy";
    const lang = pre.dataset.lang && pre.dataset.lang !== "text" ? pre.dataset.lang + " " : "";
    button.setAttribute("aria-label", "Copy " + lang + "code");
    button.addEventListener("click", () => {
      const code = pre.querySelector("code") || pre;
      navigator.clipboard.writeText(code.innerText).then(
        () => { button.textContent = "Copied"; },
        () => { button.textContent = "Press Ctrl+C"; },
      );
      setTimeout(() => { button.textContent = "Copy"; }, 2000);
    });
    wrap.appendChild(button);
  });

  // Every drawn diagram opens full size in a dialog; Escape or the close button returns.
  let view = null;
  const openDiagram = (figure, svg, opener) => {
    if (!view) {
      view = document.createElement("dialog");
      view.className = "diagram-view";
      view.setAttribute("aria-label", "Diagram, full size");
      view.innerHTML = '<div class="diagram-view-bar"><button type="button" class="diagram-zoom">Close</button></div><div class="diagram-view-body"></div>';
      view.querySelector("button").addEventListener("click", () => view.close());
      document.body.appendChild(view);
    }
    const body = view.querySelector(".diagram-view-body");
    // The copy keeps the figure's kind (its colours come from it), not its frame.
    const holder = document.createElement("div");
    holder.className = Array.from(figure.classList).filter((c) => c !== "diagram").join(" ");
    const copy = svg.cloneNode(true);
    copy.removeAttribute("id");
    holder.appendChild(copy);
    body.replaceChildren(holder);
    view.onclose = () => opener.focus();
    view.showModal();
  };
  document.querySelectorAll("figure.diagram").forEach((figure) => {
    const svg = figure.querySelector("svg");
    if (!svg) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "diagram-zoom";
    button.textContent = "Full size";
    button.addEventListener("click", () => openDiagram(figure, svg, button));
    figure.prepend(button);
  });

  // Print every FAQ answer, where CSS cannot open a closed <details>.
  let closed = [];
  addEventListener("beforeprint", () => {
    closed = Array.from(document.querySelectorAll("details:not([open])"));
    closed.forEach((d) => { d.open = true; });
  });
  addEventListener("afterprint", () => {
    closed.forEach((d) => { d.open = false; });
    closed = [];
  });
})();
