// Grids of small grey-scale images (pixel intensities in [0, 1], drawn dark on white), scaled
// up with crisp pixels: decoded digits, reconstructions, samples.
import { fitCanvas } from './canvas.js';

/**
 * Draws `count` images of `width` × `height` pixels from `pixels` (row-major, one image after
 * another) on `canvas` in `cols` columns, `gap` image pixels apart. Sets the canvas's CSS
 * aspect ratio to the grid's, so cells stay square at any width.
 */
export function drawImages(canvas, pixels, { count, width, height, cols, gap = 1 }) {
  const rows = Math.ceil(count / cols);
  const gw = cols * width + (cols - 1) * gap;
  const gh = rows * height + (rows - 1) * gap;
  const ratio = `${gw} / ${gh}`;
  if (canvas.style.aspectRatio !== ratio) canvas.style.aspectRatio = ratio;
  const img = new ImageData(gw, gh);
  img.data.fill(255);
  for (let k = 0; k < count; k += 1) {
    const x0 = (k % cols) * (width + gap);
    const y0 = Math.floor(k / cols) * (height + gap);
    for (let r = 0; r < height; r += 1) {
      for (let c = 0; c < width; c += 1) {
        const v = pixels[k * width * height + r * width + c];
        const shade = Number.isFinite(v) ? Math.round(255 * (1 - Math.min(1, Math.max(0, v)))) : 255;
        const o = 4 * ((y0 + r) * gw + x0 + c);
        img.data[o] = shade;
        img.data[o + 1] = shade;
        img.data[o + 2] = shade;
      }
    }
  }
  const scratch = drawImages.scratch ?? (drawImages.scratch = document.createElement('canvas'));
  scratch.width = gw;
  scratch.height = gh;
  scratch.getContext('2d').putImageData(img, 0, 0);
  fitCanvas(canvas);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

/** Blits RGBA `rgba` (n × n, top row first) into `rect` = [left, top, right, bottom] of `canvas`. */
export function blit(canvas, rgba, n, rect) {
  const scratch = blit.scratch ?? (blit.scratch = document.createElement('canvas'));
  scratch.width = n;
  scratch.height = n;
  scratch.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), n, n), 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  const [left, top, right, bottom] = rect;
  ctx.drawImage(scratch, left, top, right - left, bottom - top);
}
