// Drawing for the vi-2d widget: the two posterior panels (the target's heat map, q's 1σ/2σ
// ellipses, the CAVI path) and the data panel of the logistic target, all on [−5, 5]² with
// the second coordinate upwards. Each panel's unchanging part (heat map and frame) is painted
// once into an offscreen canvas and copied on later frames.
import { fitCanvas } from '../../lib/canvas.js';

export const VIEW = 5; // the panels show [−VIEW, VIEW]² (data coordinates)
const PAD = 28; // CSS px around the plot

/** The principal axes of a 2-D covariance [var₁, var₂, cov]: { a, b, angle } (1σ radii). */
export function axes([v1, v2, c]) {
  const mid = (v1 + v2) / 2;
  const half = Math.hypot((v1 - v2) / 2, c);
  return { a: Math.sqrt(mid + half), b: Math.sqrt(Math.max(mid - half, 0)), angle: 0.5 * Math.atan2(2 * c, v1 - v2) };
}

const frames = new WeakMap(); // canvas → the frame it was last drawn with

/**
 * The square plot inside `canvas` drawn at `scale` (fitCanvas's): { pad, size } in canvas px
 * and the maps x(z₁), y(z₂). Reads no layout.
 */
function frame(canvas, scale) {
  const pad = PAD * scale;
  const size = Math.min(canvas.width, canvas.height) - 2 * pad;
  return { pad, size, x: (z) => pad + ((z + VIEW) / (2 * VIEW)) * size, y: (z) => pad + ((VIEW - z) / (2 * VIEW)) * size };
}

/** Data coordinates [z₁, z₂] of a pointer event on `canvas`. */
export function at(canvas, event) {
  const box = canvas.getBoundingClientRect();
  const f = frames.get(canvas) ?? frame(canvas, canvas.width / box.width);
  const px = (event.clientX - box.left) * (canvas.width / box.width);
  const py = (event.clientY - box.top) * (canvas.height / box.height);
  return [((px - f.pad) / f.size) * 2 * VIEW - VIEW, VIEW - ((py - f.pad) / f.size) * 2 * VIEW];
}

/**
 * The heat map of `post` (a Posterior2d): its RGBA image put into `previous`'s offscreen canvas
 * when the side is the same (no new canvas per edit). Returns { canvas, bounds }.
 */
export function heatImage(post, previous) {
  const n = post.side;
  const bytes = post.densityImage();
  const canvas = previous?.canvas.width === n ? previous.canvas : Object.assign(document.createElement('canvas'), { width: n, height: n });
  canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length), n, n), 0, 0);
  return { canvas, bounds: post.bounds() };
}

/** The frame, ticks at −5, 0, 5 and the axis names. */
function axesFrame(ctx, f, scale, names) {
  ctx.strokeStyle = '#6b7280';
  ctx.lineWidth = scale;
  ctx.strokeRect(f.pad, f.pad, f.size, f.size);
  ctx.fillStyle = '#374151';
  ctx.font = `${11 * scale}px sans-serif`;
  for (const v of [-VIEW, 0, VIEW]) {
    ctx.fillText(String(v).replace('-', '−'), f.x(v) - 6 * scale, f.pad + f.size + 14 * scale);
    ctx.fillText(String(v).replace('-', '−'), 2 * scale, f.y(v) + 4 * scale);
  }
  ctx.fillText(names[0], f.pad + f.size - 14 * scale, f.pad + f.size + 24 * scale);
  ctx.fillText(names[1], 2 * scale, f.pad - 8 * scale);
}

const drawn = new WeakMap(); // panel canvas → the key of everything it shows

/**
 * The heat map `image` and the frame `f` for `canvas`, from `cache` (a Map, key → offscreen
 * canvas, shared by one widget's panels, which show the same background) while `key` holds.
 */
function background(cache, canvas, f, key, image, names, scale) {
  const kept = cache.get(key);
  if (kept) return kept;
  if (cache.size >= 2) cache.clear();
  const off = document.createElement('canvas');
  off.width = canvas.width;
  off.height = canvas.height;
  const ctx = off.getContext('2d');
  if (image) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.pad, f.pad, f.size, f.size);
    ctx.clip();
    const [x0, x1, y0, y1] = image.bounds;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image.canvas, f.x(x0), f.y(y1), f.x(x1) - f.x(x0), f.y(y0) - f.y(y1));
    ctx.restore();
  }
  axesFrame(ctx, f, scale, names);
  cache.set(key, off);
  return off;
}

/**
 * Draws a posterior panel: the target's heat map `image` ({ canvas, bounds }, `version`
 * naming it; the painted background kept in `cache`), `path` (the CAVI means) if it has two
 * points, and q ({ mean, cov }) as its 1σ and 2σ ellipses labelled with the mass they hold in
 * 2-D. `names` are the axis names.
 */
export function drawPanel(canvas, { cache, image, version, names, q, path = [] }) {
  const scale = fitCanvas(canvas);
  const ctx = canvas.getContext('2d');
  const f = frame(canvas, scale);
  frames.set(canvas, f);
  const key = `${version}|${canvas.width}|${canvas.height}|${scale}|${names}`;
  const all = `${key}|${q ? [...q.mean, ...q.cov].join() : ''}|${path.flat().join()}`;
  if (drawn.get(canvas) === all) return; // e.g. the forward panel while q moves on the left
  drawn.set(canvas, all);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(background(cache, canvas, f, key, image, names, scale), 0, 0);
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.pad, f.pad, f.size, f.size);
  ctx.clip();
  if (path.length > 1) {
    ctx.strokeStyle = '#111827';
    ctx.lineWidth = 1.5 * scale;
    ctx.beginPath();
    path.forEach(([a, b], i) => (i ? ctx.lineTo(f.x(a), f.y(b)) : ctx.moveTo(f.x(a), f.y(b))));
    ctx.stroke();
  }
  if (q) {
    const { a, b, angle } = axes(q.cov);
    ctx.strokeStyle = '#ea580c';
    ctx.fillStyle = '#ea580c';
    ctx.lineWidth = 2 * scale;
    ctx.font = `${11 * scale}px sans-serif`;
    const k = f.size / (2 * VIEW);
    for (const [m, text] of [[1, '39%'], [2, '86%']]) {
      ctx.beginPath();
      ctx.ellipse(f.x(q.mean[0]), f.y(q.mean[1]), Math.max(m * a * k, 0.5), Math.max(m * b * k, 0.5), -angle, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.fillText(text, f.x(q.mean[0]) + m * a * k * Math.cos(angle) + 3 * scale, f.y(q.mean[1]) - m * a * k * Math.sin(angle));
    }
    ctx.beginPath();
    ctx.arc(f.x(q.mean[0]), f.y(q.mean[1]), 3 * scale, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
}

/**
 * Draws the logistic target's data panel: the points (`points` flat pairs, `labels` 0/1;
 * filled orange for y = 1, blue rings for y = 0) and the dashed decision boundary E[w]ᵀx = 0 of
 * the posterior mean `w`.
 */
export function drawData(canvas, { points, labels, w }) {
  const scale = fitCanvas(canvas);
  const ctx = canvas.getContext('2d');
  const f = frame(canvas, scale);
  frames.set(canvas, f);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const [w1, w2] = w;
  if (Math.hypot(w1, w2) > 1e-9) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.pad, f.pad, f.size, f.size);
    ctx.clip();
    ctx.strokeStyle = '#6b7280';
    ctx.setLineDash([4 * scale, 4 * scale]);
    const d = [-w2, w1].map((v) => (v / Math.hypot(w1, w2)) * 2 * VIEW);
    ctx.beginPath();
    ctx.moveTo(f.x(-d[0]), f.y(-d[1]));
    ctx.lineTo(f.x(d[0]), f.y(d[1]));
    ctx.stroke();
    ctx.restore();
  }
  ctx.lineWidth = 2 * scale;
  ctx.fillStyle = '#ea580c';
  for (let i = 0; i < labels.length; i++) {
    ctx.beginPath();
    ctx.arc(f.x(points[2 * i]), f.y(points[2 * i + 1]), 5 * scale, 0, 2 * Math.PI);
    ctx.strokeStyle = labels[i] ? '#ea580c' : '#2563eb';
    if (labels[i]) ctx.fill();
    ctx.stroke();
  }
  axesFrame(ctx, f, scale, ['x₁', 'x₂']);
}
