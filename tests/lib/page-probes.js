// Functions the engines tests run in the page (tests/engines.test.js): each is sent as source
// through tests/lib/engines.js's evaluate, so only its arguments are in scope.


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
    return [id, { ink, katex: root.querySelectorAll('.katex').length, text: root.innerText.length }];
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

/** Things that would show a payload ran or markup from the URL reached the DOM. */
export function hostileTraces() {
  let injected = 0;
  const walk = (root) => {
    injected += root.querySelectorAll('img[src="x"], body script:not([src]), marquee').length;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return { pwned: window.__pwned ?? null, injected, lang: document.documentElement.lang, nan: document.body.innerText.includes('NaN') };
}
