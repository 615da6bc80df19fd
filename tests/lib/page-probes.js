// Functions the tests run in the page (page.evaluate(fn, arg) in any engine): each is sent as
// source text, so only its arguments are in scope.

/**
 * The text a reader can see in the element `selector` (default: the body), one line per block
 * box, whitespace collapsed: what `innerText` gives, but also in parts the browser skips
 * rendering. Chromium leaves a `content-visibility: auto` section that is off screen out of
 * innerText, so a page-wide check on innerText would stop seeing most of the chapter. Left
 * out, as innerText leaves them out: what the page hides ([hidden], display: none, visibility
 * other than visible, a closed <details> but its summary) and <script>, <style>, <template>,
 * <noscript>. Form controls' current values are not text, as in innerText.
 */
export function screenText(selector) {
  const root = selector ? document.querySelector(selector) : document.body;
  if (!root) return null;
  const NOT_TEXT = new Set(['script', 'style', 'template', 'noscript', 'textarea']);
  const styles = new Map();
  const style = (el) => {
    if (!styles.has(el)) styles.set(el, getComputedStyle(el));
    return styles.get(el);
  };
  const closedDetails = (el) => el?.localName === 'details' && !el.open;
  for (let el = root; el; el = el.parentElement) if (el.hasAttribute('hidden') || style(el).display === 'none') return '';
  const inline = (el) => /^inline|^contents$|^ruby/.test(style(el).display);
  // The nearest ancestor that is not inline: text under different ones is on different lines.
  const blockOf = (el) => {
    while (el !== root && inline(el)) el = el.parentElement;
    return el;
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(n) {
      const parent = n.parentElement;
      if (closedDetails(parent) && !(n.localName === 'summary' && parent.querySelector(':scope > summary') === n)) return NodeFilter.FILTER_REJECT;
      if (n.nodeType === Node.TEXT_NODE) return style(parent).visibility === 'visible' ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      if (NOT_TEXT.has(n.localName) || n.hasAttribute('hidden') || style(n).display === 'none') return NodeFilter.FILTER_REJECT;
      // A line break before a <br> and before each block (a flex item between two texts, too).
      return n.localName === 'br' || !inline(n) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    },
  });
  const lines = [];
  let line = '';
  let block = null;
  const breakLine = () => {
    if (line.trim()) lines.push(line.trim());
    line = '';
  };
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType !== Node.TEXT_NODE) {
      breakLine();
      continue;
    }
    const b = blockOf(n.parentElement);
    if (b !== block) breakLine();
    block = b;
    line += n.data.replace(/\s+/g, ' ');
  }
  breakLine();
  return lines.join('\n');
}


/** Per widget: canvases and their inked pixels (read from a copy), KaTeX formulas. */
export function renderedWidgets(ids) {
  return Object.fromEntries(ids.map((id) => {
    const root = document.querySelector(`[data-widget="${id}"]`);
    if (!root) return [id, null];
    const ink = [...root.querySelectorAll('canvas')].filter((c) => c.width && c.height).map((c) => {
      const copy = document.createElement('canvas');
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(c, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) n += 1;
      return n;
    });
    return [id, { ink, katex: root.querySelectorAll('.katex').length }];
  }));
}

/** The bar handles' values (full precision) of each editor under `selector`. */
export function editorValues(selector) {
  return [...document.querySelectorAll(`${selector} .handles`)].map((h) =>
    [...h.querySelectorAll('.handle')].map((e) => Number(e.getAttribute('aria-valuenow'))));
}

/** Inked pixels of every canvas in the document and in open shadow roots (an embedded widget). */
export function inkDeep() {
  const canvases = [];
  const walk = (root) => {
    canvases.push(...root.querySelectorAll('canvas'));
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return canvases.filter((c) => c.width && c.height).map((c) => {
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) n += 1;
    return n;
  });
}

/** Things that would show a payload ran or markup from the URL reached the DOM (and screenText for NaN). */
export function hostileTraces() {
  let injected = 0;
  const walk = (root) => {
    injected += root.querySelectorAll('img[src="x"], body script:not([src]), marquee').length;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return { pwned: window.__pwned ?? null, injected, lang: document.documentElement.lang };
}
