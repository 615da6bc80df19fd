// A mounted widget as a layout island. Its box gets the height of its content as a fixed
// height, with size containment (style.css, [data-island]: contain: strict), which makes it
// what the browser calls a relayout boundary: a frame that changes text inside the widget (a
// readout's new digits) lays out the widget alone, not the whole chapter of ~38,000 boxes, most
// of them KaTeX's (tests/bench/frames-compare.js: layout objects per frame). Nothing is hidden
// or skipped, so find-in-page, screen readers and innerText see the page as before.
//
// The height follows the content: a ResizeObserver on each child of the widget sets it again,
// at the next frame, whenever a child changes size, is added or is removed (a widget that grows
// shows its new bottom one frame late). The children's boxes are read, not the widget's own
// height uncontained, which would take a layout of the whole page each time.

/** The height `root`'s content needs, in CSS px: its lowest child's bottom, margin, padding, border. */
function contentHeight(root) {
  const top = root.getBoundingClientRect().top;
  let bottom = 0;
  for (const child of root.children) {
    if (!child.getClientRects().length) continue; // display: none
    const r = child.getBoundingClientRect();
    bottom = Math.max(bottom, r.bottom - top + parseFloat(getComputedStyle(child).marginBottom));
  }
  const s = getComputedStyle(root);
  return bottom + parseFloat(s.paddingBottom) + parseFloat(s.borderBottomWidth);
}

/** Makes the mounted widget `root` a layout island (above). Returns a function that undoes it. */
export function island(root) {
  let pending = 0;
  const fit = () => {
    pending = 0;
    root.style.setProperty('--island-height', `${contentHeight(root)}px`);
    if (!('island' in root.dataset)) root.dataset.island = '';
  };
  // Set at the next frame, not in the observer's report: a height set there that changes a
  // child's size again is an error in WebKit ("ResizeObserver loop completed with undelivered
  // notifications").
  const later = () => { pending ||= requestAnimationFrame(fit); };
  const sizes = new ResizeObserver(later);
  // A child added is measured by its first report; one removed leaves no report: measure again.
  const children = new MutationObserver((records) => {
    let removed = false;
    for (const r of records) {
      for (const n of r.addedNodes) if (n instanceof Element) sizes.observe(n, { box: 'border-box' });
      for (const n of r.removedNodes) if (n instanceof Element) { sizes.unobserve(n); removed = true; }
    }
    if (removed) later();
  });
  for (const child of root.children) sizes.observe(child, { box: 'border-box' });
  children.observe(root, { childList: true });
  return () => {
    cancelAnimationFrame(pending);
    sizes.disconnect();
    children.disconnect();
    delete root.dataset.island;
    root.style.removeProperty('--island-height');
  };
}
