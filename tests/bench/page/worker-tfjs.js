// Dedicated classic worker: TensorFlow.js with its wasm backend, one thread, training the same
// VAE as elbo-lab's Trainer with a hand-written loss and tf.train.adam.
const TF = '/node_modules/@tensorflow/';
// tf.min.js bundles regenerator-runtime, which assigns the global `regeneratorRuntime` and, when
// that throws (strict mode, undeclared), falls back to Function(): the only eval in TF.js 4.22.
// Declaring the global first keeps the worker within script-src 'self' 'wasm-unsafe-eval'.
self.regeneratorRuntime = undefined;
importScripts(`${TF}tfjs/dist/tf.min.js`, `${TF}tfjs-backend-wasm/dist/tf-backend-wasm.min.js`);
/* global tf */

/**
 * Seeded uniform generator in [0, 1) (mulberry32), for the shuffles: a copy of
 * tests/lib/random.js, because this is a classic worker (TF.js loads by importScripts) and
 * cannot import an ES module.
 */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

self.onmessage = async ({ data: { x, width, hidden, latent, batch, warmup, warmupMs, epochs, seed } }) => {
  try {
    // One thread: the page is not cross-origin isolated (no SharedArrayBuffer), and the flag
    // makes TF.js pick the non-threaded SIMD binary regardless.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    tf.wasm.setWasmPaths(new URL(`${TF}tfjs-backend-wasm/dist/`, self.location.href).href);
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
    await tf.ready();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const wasmFiles = performance.getEntriesByType('resource').map((r) => r.name.split('/').pop()).filter((f) => f.endsWith('.wasm'));

    const n = x.length / width;
    const X = tf.tensor2d(x, [n, width]);
    let s = seed;
    // PyTorch's nn.Linear initialisation, as in the Rust model: W, b ~ U(−1/√fanIn, 1/√fanIn).
    const uniform = (shape, fanIn) => {
      const lim = 1 / Math.sqrt(fanIn);
      s += 1;
      return tf.variable(tf.randomUniform(shape, -lim, lim, 'float32', s));
    };
    const layer = (fanIn, fanOut) => [uniform([fanIn, fanOut], fanIn), uniform([fanOut], fanIn)];
    const [W1, b1] = layer(width, hidden);
    const [Wm, bm] = layer(hidden, latent);
    const [Wv, bv] = layer(hidden, latent);
    const [W3, b3] = layer(latent, hidden);
    const [W4, b4] = layer(hidden, width);
    const vars = [W1, b1, Wm, bm, Wv, bv, W3, b3, W4, b4];
    const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
    const dense = (a, W, b) => tf.add(tf.matMul(a, W), b);

    // Mean over the batch of Σ_pixels BCE-from-logits + KL(N(μ, σ²) ‖ N(0, I)).
    const loss = (xb) => () => {
      const h = tf.tanh(dense(xb, W1, b1));
      const mu = dense(h, Wm, bm);
      const lv = dense(h, Wv, bv);
      const eps = tf.randomNormal(mu.shape);
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps));
      const logits = dense(tf.tanh(dense(z, W3, b3)), W4, b4);
      // max(l, 0) − l·x + log(1 + e^{−|l|})
      const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, xb)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
      const kl = tf.mul(0.5, tf.sum(tf.sub(tf.sub(tf.add(tf.square(mu), tf.exp(lv)), 1), lv), 1));
      return tf.mean(tf.add(tf.sum(bce, 1), kl));
    };

    const rand = mulberry32(seed);
    const order = new Int32Array(n).map((_, i) => i);
    const epoch = () => {
      for (let i = n - 1; i > 0; i -= 1) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let total = 0;
      for (let start = 0; start < n; start += batch) {
        const end = Math.min(n, start + batch);
        const cost = tf.tidy(() => {
          const xb = tf.gather(X, tf.tensor1d(order.subarray(start, end), 'int32'));
          return optimizer.minimize(loss(xb), true, vars);
        });
        total += cost.dataSync()[0] * (end - start);
        cost.dispose();
      }
      return total / n;
    };

    const losses = [];
    const times = [];
    const tensors = [];
    // Warm-up: at least `warmup` epochs and `warmupMs` (so that V8 has tiered the code up).
    const start = performance.now();
    let warm = 0;
    while (warm < warmup || performance.now() - start < warmupMs) {
      losses.push(epoch());
      tensors.push(tf.memory().numTensors);
      warm += 1;
    }
    for (let e = 0; e < epochs; e += 1) {
      const t0 = performance.now();
      losses.push(epoch());
      times.push(performance.now() - t0);
      tensors.push(tf.memory().numTensors);
    }
    self.postMessage({
      n, warmupEpochs: warm, times, losses,
      info: {
        impl: `TensorFlow.js ${tf.version.tfjs} wasm backend`,
        backend: tf.getBackend(), simd, wasmFiles, threads: tf.wasm.getThreadsCount?.() ?? null,
        crossOriginIsolated: self.crossOriginIsolated, numTensorsPerEpoch: tensors,
      },
    });
  } catch (err) {
    self.postMessage({ error: String(err?.stack ?? err) });
  }
};
