// Main thread of the bench page: loads the data once (digits through elbo-lab's own parser,
// synthetic 784-pixel data from a seeded generator) and runs one trainer per dedicated worker.
import init, { Trainer } from '/www/pkg/elbo_lab.js';
import { mulberry32 } from '/tests/lib/random.js';

await init();
const bytes = new Uint8Array(await (await fetch('/www/data/digits.bin')).arrayBuffer());
const digits = Trainer.loadDigits(bytes);


/**
 * `n` synthetic 28×28 images in [0, 1] with a low-dimensional structure (a sharpened plane wave
 * whose direction and phase are drawn per image, plus a little noise), so that a VAE with a 2-d latent
 * has something to learn.
 */
function synthetic(n, seed) {
  const rand = mulberry32(seed);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < n; i += 1) {
    const u = rand() * 2 - 1;
    const v = rand() * 2 - 1;
    const phase = rand() * 2 * Math.PI;
    for (let r = 0; r < 28; r += 1) {
      for (let c = 0; c < 28; c += 1) {
        const wave = Math.sin((2 * Math.PI * (u * r + v * c)) / 14 + phase);
        const s = 1 / (1 + Math.exp(-6 * wave)) + 0.1 * (rand() - 0.5);
        x[i * 784 + r * 28 + c] = Math.min(1, Math.max(0, s));
      }
    }
  }
  return x;
}

const MODELS = {
  digits: { x: digits.trainX, width: digits.pixels, hidden: 128, latent: 2 },
  784: { x: synthetic(2048, 20251125), width: 784, hidden: 256, latent: 2 },
};

const WORKERS = {
  ours: () => new Worker(new URL('./worker-ours.js', import.meta.url), { type: 'module' }),
  // Classic worker: TF.js's wasm backend ships as UMD (its ES build imports bare specifiers).
  tfjs: () => new Worker(new URL('./worker-tfjs.js', import.meta.url)),
};

/**
 * Trains `model` with `impl` ('ours' or 'tfjs') in a fresh worker: untimed warm-up epochs (at least
 * `warmup` of them and `warmupMs` ms), then `epochs` timed ones ('ours' loads `pkg` if given, a
 * wasm-bindgen module URL, else www/pkg). Resolves to { n, warmupEpochs,
 * times (ms per timed epoch), losses (every epoch), info }.
 */
window.runBench = (impl, model, { warmup = 2, warmupMs = 1000, epochs = 5, seed = 42, batch = 64, pkg } = {}) => new Promise((resolve, reject) => {
  const m = MODELS[model];
  const worker = WORKERS[impl]();
  worker.onmessage = ({ data }) => {
    worker.terminate();
    if (data.error) reject(new Error(`${impl}/${model}: ${data.error}`));
    else resolve(data);
  };
  worker.onerror = (e) => { worker.terminate(); reject(new Error(`${impl}/${model}: ${e.message}`)); };
  worker.postMessage({ x: m.x.slice(), width: m.width, hidden: m.hidden, latent: m.latent, batch, warmup, warmupMs, epochs, seed, ...(pkg && { pkg }) });
});

document.getElementById('log').textContent = `ready: digits ${digits.trainX.length / digits.pixels}×${digits.pixels}, synthetic 2048×784`;
document.documentElement.dataset.ready = 'true';
