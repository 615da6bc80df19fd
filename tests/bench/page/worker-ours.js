// Dedicated module worker: elbo-lab's wasm Trainer, one thread.
// `pkg`: the wasm-bindgen module to load (another build of the wasm, for tests/bench/wasm-variants.js).
self.onmessage = async ({ data: { x, width, hidden, latent, batch, warmup, warmupMs, epochs, seed, pkg = '/www/pkg/elbo_lab.js' } }) => {
  try {
    const { default: init, Trainer } = await import(pkg);
    await init();
    const n = x.length / width;
    const tr = new Trainer(x, width, { latent, hidden, beta: 1, lr: 1e-3, batchSize: batch, mode: 'vae' }, seed);
    const losses = [];
    const times = [];
    // Warm-up: at least `warmup` epochs and `warmupMs` (so that V8 has tiered the code up).
    const start = performance.now();
    let warm = 0;
    while (warm < warmup || performance.now() - start < warmupMs) {
      losses.push(tr.trainEpoch().loss);
      warm += 1;
    }
    for (let e = 0; e < epochs; e += 1) {
      const t0 = performance.now();
      const r = tr.trainEpoch();
      times.push(performance.now() - t0);
      losses.push(r.loss);
    }
    tr.free();
    self.postMessage({ n, warmupEpochs: warm, times, losses, info: { impl: 'elbo-lab wasm Trainer (wasm-bindgen, one thread)' } });
  } catch (err) {
    self.postMessage({ error: String(err?.stack ?? err) });
  }
};
