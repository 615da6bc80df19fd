// Edit latencies of two widgets, for `make bench` (tests/bench/run.js) and for an interleaved
// before/after comparison (tests/bench/edits-compare.js). Each returns p50/p95 per kind of
// edit; with window.benchCanvasCalls installed (frame-measures.js) also the 2-D canvas calls per
// edit, and each kind of edit is bracketed by console.timeStamp('bench:<kind>') … ('bench:end')
// so a DevTools trace can count the layouts it caused.

/**
 * Installs in the page window.benchEditPhase(kind, n, edit): runs `edit(i)` (returning its time
 * in ms, or a promise of it) for i < n, yielding a frame every 20 edits; counts the 2-D canvas
 * calls per edit (if frame-measures.js counts them) into window.benchEditCalls[kind]; brackets
 * the edits in the trace. Resolves to the times. Also window.benchPct(xs, q), the q-quantile of
 * `xs`, and window.benchMountOnTop(module, options, name): widget `module` (path under www/)
 * mounted fresh at the top of the page and on screen (off screen a widget defers its charts, and
 * the timings would skip them), three frames later; resolves to { root, widget }.
 */
function installPhase(page) {
  return page.evaluate(() => {
    window.benchPct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
    window.benchMountOnTop = async (module, options, name) => {
      const { mount } = await import(module);
      const root = Object.assign(document.createElement('div'), { className: 'widget' });
      document.querySelector('main').prepend(root);
      window.scrollTo(0, 0);
      const widget = mount(root, options);
      for (let i = 0; i < 3; i += 1) await new Promise(requestAnimationFrame);
      if (root.getBoundingClientRect().top > innerHeight) throw new Error(`the ${name} widget is off screen: its timings would skip the charts`);
      return { root, widget };
    };
    window.benchEditCalls = {};
    window.benchEditPhase = async (kind, n, edit) => {
      const calls = window.benchCanvasCalls;
      const c0 = calls?.all ?? 0;
      console.timeStamp(`bench:${kind}`);
      const times = [];
      for (let i = 0; i < n; i += 1) {
        times.push(await edit(i));
        if (i % 20 === 0) await new Promise(requestAnimationFrame);
      }
      console.timeStamp('bench:end');
      window.benchEditCalls[kind] = calls ? (calls.all - c0) / n : NaN;
      return times;
    };
  });
}

/**
 * In the page: p50/p95 of one edit of the Jensen widget (3.4), mounted fresh on the bimodal
 * model and scrolled into view: q moved through its store (20,000 log weights, the IWAE
 * estimates for 10 K from one set of draws, the ELBO and KL by quadrature, histogram and
 * two charts redrawn; timed until the widget's microtask has run), K moved (the same work), and
 * λ moved (the chord picture only).
 */
export async function jensenEdit(page, edits) {
  await installPhase(page);
  return page.evaluate(async (edits) => {
    const pct = window.benchPct;
    const { root, widget } = await window.benchMountOnTop('./widgets/jensen.js',
      { state: { model: 'bimodal', x: 2.5, params: { sigmaX: 0.5 }, m: 0.5, s: 1 } }, 'Jensen');
    const q = await window.benchEditPhase('q', edits / 4, async (i) => {
      const t0 = performance.now();
      widget.store.set({ ...widget.store.get(), m: -1 + (i % 41) / 20 });
      await Promise.resolve(); // after the widget's queued recompute and redraw
      return performance.now() - t0;
    });
    const slide = (kind, input, value) => window.benchEditPhase(kind, edits / 4, (i) => {
      input.value = String(value(i));
      const t0 = performance.now();
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return performance.now() - t0;
    });
    const k = await slide('k', root.querySelector('input[data-input="k"]'), (i) => i % 20);
    const lam = await slide('lam', root.querySelector('input[data-input="lam"]'), (i) => (i % 100) / 100);
    if (!root.querySelector('[data-out="jensen-lk"]').textContent.startsWith(`L_${widget.state().k} `)) throw new Error('the L_K readout did not follow K');
    widget.destroy();
    root.remove();
    return { q50: pct(q, 0.5), q95: pct(q, 0.95), k95: pct(k, 0.95), lam95: pct(lam, 0.95), calls: { ...window.benchEditCalls } };
  }, edits);
}

/**
 * In the page: p50/p95 of one edit of the mutual-information widget (2.3), mounted fresh on its
 * example (4 × 4) and scrolled into view: a PageUp/PageDown on a cell of the joint (the cell set
 * and the others rescaled, jointReport and I = KL(p(x, y) ‖ p(x)p(y)), the table, the information
 * diagram and the chain panel redrawn; the store renders synchronously), and a step of the
 * channel's flip probability ε (the joint replaced by the binary symmetric channel's, the same work).
 */
export async function mutualEdit(page, edits) {
  await installPhase(page);
  return page.evaluate(async (edits) => {
    const pct = window.benchPct;
    const { root, widget } = await window.benchMountOnTop('./widgets/mutual-information.js', {}, 'mutual-information');
    const cell = root.querySelector('input[data-cell="0"]');
    const before = widget.store.get().joint[0];
    const cells = await window.benchEditPhase('cell', edits / 2, (i) => {
      const key = i % 20 < 10 ? 'PageUp' : 'PageDown';
      const t0 = performance.now();
      cell.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      return performance.now() - t0;
    });
    if (Math.abs(widget.store.get().joint[0] - before) > 1e-9) throw new Error('the cell edits did not balance');
    const slider = root.querySelector('input[data-slider="eps"]');
    const eps = await window.benchEditPhase('eps', edits / 2, (i) => {
      slider.value = String((i % 50) / 100);
      const t0 = performance.now();
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      return performance.now() - t0;
    });
    widget.destroy();
    root.remove();
    return { cell50: pct(cells, 0.5), cell95: pct(cells, 0.95), eps95: pct(eps, 0.95), calls: { ...window.benchEditCalls } };
  }, edits);
}
