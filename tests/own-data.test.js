// The reader's own data (issue 14): pasted text coded with its own Huffman code (section 1.3),
// and, in the VAE widget, a digit drawn on the 8×8 pad and 2-D points from a CSV file. Each
// part is checked in headless Chromium against the JS API evaluated in the same page, plus the
// lazily loaded string tables' parity.
// Run: node --test tests/own-data.test.js   (needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import en from '../www/i18n/owndata/en.js';
import zh from '../www/i18n/owndata/zh.js';
import { chapterHarness } from './lib/chapter.js';

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('own-data string tables', () => {
  it('en and zh have the same keys and placeholders, and zh is translated', () => {
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    for (const k of Object.keys(en)) {
      assert.deepEqual(placeholders(zh[k]), placeholders(en[k]), `placeholders of ${k}`);
      assert.ok(typeof zh[k] === 'string' && zh[k].trim(), `zh ${k} is a non-empty string`);
      assert.match(zh[k], /[\u3400-\u9fff]/, `zh ${k} is Chinese`);
    }
  });
});

const { start, stop, withChapter } = chapterHarness();
const inWidget = (page) => page.locator('#embed-widget [data-widget]');
/** The readouts of the text panel, by name. */
const readouts = (page) => page.evaluate(() => {
  const root = document.querySelector('#embed-widget').shadowRoot;
  const out = {};
  for (const el of root.querySelectorAll('[data-out^="own-text"]')) out[el.dataset.out.slice('own-text-'.length)] = el.textContent;
  out.labels = [...root.querySelectorAll('.code-table:not([data-out]) tbody th')].map((th) => th.textContent);
  return out;
});

describe('the reader’s own data in the browser', () => {
  before(start);
  after(stop);

  it('counts, codes and checks a text against lab.textReport; bad text gets a coded message', () => withChapter(async ({ page }) => {
    await inWidget(page).locator('[data-action="own-text"]').click();
    const area = inWidget(page).locator('[data-input="own-text"]');
    await area.waitFor();
    await area.fill('abracadabra');
    await page.waitForFunction(() => document.querySelector('#embed-widget').shadowRoot
      .querySelector('[data-out="own-text-coded"]')?.textContent.startsWith('23 '));
    let r = await readouts(page);
    assert.equal(r.n, '11');
    assert.equal(r.distinct, '5');
    assert.match(r.coded, /^23 bits \(2\.0909 bits\/symbol, 26\.1% of the original\)$/);
    assert.equal(r.original, '8 × 11 bytes = 88 bits (11 characters)');
    assert.equal(r.bound, '22.44 ≤ 23 < 33.44 ✓');
    assert.equal(r.kraft, 'Σ 2^−ℓ = 1.000000');
    assert.deepEqual(r.labels, ['a', 'b', 'r', 'c', 'd'], 'the Huffman widget codes the text’s symbols');

    // Words of a longer text: more than 16 different words, so the charts show 15 and "other".
    const text = 'the cat sat on the mat and the dog sat on the log while a bird sang in the tall old tree by the river near the town hall é 中文';
    await area.fill(text);
    await inWidget(page).locator('[data-input="own-unit-word"]').check();
    await page.waitForFunction(() => document.querySelector('#embed-widget').shadowRoot
      .querySelector('[data-out="own-text-grouped"]')?.textContent.includes('other'));
    r = await readouts(page);
    const api = await page.evaluate(async (text) => {
      const lab = await import('/pkg/elbo_lab.js');
      const rep = lab.textReport(text, 'word', 16);
      const p = Array.from(rep.shownCounts, (c) => c / rep.total);
      return { ...rep, counts: Array.from(rep.counts), shownH: lab.entropy(p, 2), huffman: lab.huffmanCode(p).averageLength };
    }, text);
    assert.equal(r.n, String(api.total));
    assert.equal(r.distinct, String(api.symbols.length));
    assert.ok(r.coded.startsWith(`${api.codedBits} bits`), r.coded);
    assert.ok(r.h.startsWith(api.entropy.toFixed(4)), r.h);
    assert.ok(r.nh.startsWith(api.entropyBits.toFixed(2)), r.nh);
    assert.ok(api.entropyBits <= api.codedBits && api.codedBits < api.entropyBits + api.total, 'n·H ≤ coded < n·(H + 1)');
    // 'é' is 2 bytes and each Chinese character 3 in UTF-8.
    assert.equal(api.bytes, [...text].length + 1 + 2 * 2);
    assert.equal(r.labels.length, 16, 'the Huffman table shows 16 outcomes');
    assert.equal(r.labels[0], 'the');
    assert.equal(r.labels[15], `other (${api.otherSymbols})`);
    assert.ok(r.grouped.includes(`${api.shownH.toFixed(4)} bits`) && r.grouped.includes(`${api.entropy.toFixed(4)} bits`), r.grouped);
    const huffmanAverage = await page.evaluate(() => document.querySelector('#embed-widget').shadowRoot.querySelector('[data-out="huffman-average"]').textContent);
    assert.ok(huffmanAverage.startsWith(api.huffman.toFixed(3)), 'the widget codes the grouped distribution');

    // Bad input: punctuation only has no words; an empty text; each a coded message, no NaN.
    await area.fill(' ,.;! ');
    await page.waitForFunction(() => document.querySelector('#embed-widget').shadowRoot
      .querySelector('[data-out="own-text-status"]')?.textContent.includes('no words'));
    await area.fill('');
    await page.waitForFunction(() => document.querySelector('#embed-widget').shadowRoot
      .querySelector('[data-out="own-text-status"]')?.textContent.includes('the text is empty'));
    assert.equal(await inWidget(page).locator('.own-report').isHidden(), true, 'no stale numbers beside the message');
  }, { path: 'embed.html?widget=huffman' }));

  it('a digit drawn with the keyboard goes through the VAE (checked against a Trainer with the same weights); a bad CSV gets a coded message with its line; a good file is kept, selectable and trained on', () => withChapter(async ({ page }) => {
    const vae = inWidget(page);
    await page.waitForFunction(() => !document.querySelector('#embed-widget').shadowRoot.querySelector('[data-action="train"]').disabled, null, { timeout: 30000 });
    // Every inspect request to the worker (a 200 × 200 grid and IWAE with K = 2,000) and its
    // reply: at most one may be out at a time, however fast the reader paints.
    await page.evaluate(() => {
      const log = { inFlight: 0, max: 0, ids: new Set(), inks: [] };
      window.inspects = log;
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (m, ...rest) {
        if (m?.type === 'inspect') {
          if (!this.counted) {
            // Before the widget's own handler, which may send the next request at once.
            this.counted = true;
            const handler = this.onmessage;
            this.onmessage = (e) => {
              if (e.data?.type === 'reply' && log.ids.delete(e.data.id)) log.inFlight -= 1;
              handler.call(this, e);
            };
          }
          log.ids.add(m.id);
          log.inFlight += 1;
          log.max = Math.max(log.max, log.inFlight);
          log.inks.push(m.pixels ? m.pixels.reduce((a, b) => a + b, 0) : -1);
        }
        return post.call(this, m, ...rest);
      };
    });
    await vae.locator('[data-action="step"]').click();
    await page.waitForFunction(() => /^1\b/.test(document.querySelector('#embed-widget').shadowRoot.querySelector('[data-out="vae-epoch"]')?.textContent ?? ''), null, { timeout: 20000 });

    // Draw with the keyboard: a vertical stroke in column 4, rows 2–6.
    await vae.locator('[data-action="own-digit"]').click();
    const pad = vae.locator('[data-input="digit-pad"]');
    await pad.waitFor();
    await pad.focus();
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown']) await page.keyboard.press(key);
    for (let i = 0; i < 5; i += 1) {
      await page.keyboard.press('Space');
      if (i < 4) await page.keyboard.press('ArrowDown');
    }
    assert.equal(await vae.locator('[data-out="own-digit-status"]').textContent(), 'Row 6, column 4: inked. 5 of 64 cells inked.');
    assert.equal(await vae.locator('.digit-pad > span.cursor').count(), 1, 'one outlined cell');
    const pixels = Array.from({ length: 64 }, (_, i) => (i % 8 === 3 && i >= 8 && i < 48 ? 1 : 0));
    // Wait until the readouts are for the whole stroke (requests answer in order; the last is it).
    await page.waitForFunction((n) => {
      const root = document.querySelector('#embed-widget').shadowRoot;
      return root.querySelector('[data-out="own-digit-rank"]')?.textContent.endsWith(`of ${n}`)
        && root.querySelector('canvas[aria-label="The digit you drew."]');
    }, 360, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelector('#embed-widget').shadowRoot.querySelector('[data-out="own-digit-code"]').dataset.ink === '5');
    const log = await page.evaluate(() => ({ max: window.inspects.max, inks: window.inspects.inks }));
    assert.equal(log.max, 1, `one inspect request in flight at most (${JSON.stringify(log)})`);
    assert.equal(log.inks.at(-1), 5, 'the last request is for the whole stroke');
    // The same model in the page: the weights file, read by Trainer.fromWeights.
    const [download] = await Promise.all([page.waitForEvent('download'), vae.locator('[data-action="save"]').click()]);
    const json = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    const api = await page.evaluate(async ({ json, pixels }) => {
      const lab = await import('/pkg/elbo_lab.js');
      const d = lab.Trainer.loadDigits(new Uint8Array(await (await fetch('/data/digits.bin')).arrayBuffer()));
      const { trainer } = lab.Trainer.fromWeights(d.trainX, d.pixels, json, 1, true);
      const x = Float32Array.from(pixels);
      const q = trainer.encodeDistribution(x);
      const out = { mu: Array.from(q.mu), iwae: trainer.iwae(x, 100, 11).iwae };
      trainer.free();
      return out;
    }, { json, pixels });
    const num = (s) => s.replace(/−/g, '-').match(/-?\d+\.\d+/g).map(Number);
    const code = num(await vae.locator('[data-out="own-digit-code"]').textContent());
    assert.ok(code.every((v, i) => Math.abs(v - api.mu[i]) <= 0.0005 + 1e-9), `μ(x) ${code} vs the API's ${api.mu}`);
    const [logpx] = num(await vae.locator('[data-out="own-digit-logpx"]').textContent());
    assert.ok(Math.abs(logpx - api.iwae) <= 0.005 + 1e-9, `log p(x) bound ${logpx} vs the API's ${api.iwae}`);
    assert.equal(await vae.locator('[data-out="vae-post-label"]').textContent(), 'your drawing', 'the posterior readout is for the drawing');
    // The mouse: a click in the top-left cell inks it, and the drawing is sent again.
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    await page.mouse.click(box.x + box.width / 16, box.y + box.height / 16);
    assert.equal(await vae.locator('[data-out="own-digit-status"]').textContent(), 'Row 1, column 1: inked. 6 of 64 cells inked.');
    await page.waitForFunction(() => document.querySelector('#embed-widget').shadowRoot.querySelector('[data-out="own-digit-code"]').dataset.ink === '6');
    await vae.locator('[data-action="own-points"]').click();
    const area = vae.locator('[data-input="own-points"]');
    await area.waitFor();
    const status = vae.locator('[data-out="own-points-status"]');

    await area.fill('x,y,label\n1,2,a\n3,4,b\n5,six,a\n');
    await vae.locator('[data-action="use-points"]').click();
    assert.match(await status.textContent(), /line 4: “six” is not a number/);
    await area.fill('1,2\n3,4\n');
    await vae.locator('[data-action="use-points"]').click();
    assert.match(await status.textContent(), /the file has 2 points: at least 10 are needed/);
    assert.equal(await page.evaluate(() => localStorage.getItem('elbo-lab.points')), null, 'a bad file is not kept');

    // A good file, chosen through the file input: two labelled clusters.
    const rows = Array.from({ length: 40 }, (_, i) => `${(i % 2 ? 10 : -10) + (i % 5)},${(i % 7) - 3},${i % 2 ? 'right' : 'left'}`);
    const csv = `x,y,side\n${rows.join('\n')}\n`;
    await vae.locator('[data-input="own-points-file"]').setInputFiles({ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => document.querySelector('#embed-widget').shadowRoot.querySelector('[data-out="own-points-status"]').textContent.includes('40 points'));
    const expected = await page.evaluate(async (csv) => {
      const lab = await import('/pkg/elbo_lab.js');
      const d = lab.Trainer.loadPoints(csv, 7);
      return { mean: Array.from(d.mean), scale: d.scale, test: d.testX.length / 2 };
    }, csv);
    const text = await status.textContent();
    assert.ok(text.includes(`(32 to train, ${expected.test} held out)`) && text.includes('labels: left, right'), text);
    assert.ok(text.includes(`divided by ${expected.scale.toFixed(3)}`), text);
    assert.equal(await page.evaluate(() => localStorage.getItem('elbo-lab.points')), csv, 'kept in the browser');
    assert.equal(await vae.locator('[data-input="dataset"]').inputValue(), 'own', 'selected as the data set');
    // The worker has the points: its held-out plot and legend show them, and it trains.
    await page.waitForFunction((n) => {
      const root = document.querySelector('#embed-widget').shadowRoot;
      return root.querySelector('.legend')?.textContent.includes('left') && root.querySelector('canvas[aria-label*="your points"]')?.getAttribute('aria-label').startsWith(`${n} held-out points`);
    }, expected.test, { timeout: 20000 });
    await vae.locator('[data-action="step"]').click();
    await page.waitForFunction(() => /^1\b/.test(document.querySelector('#embed-widget').shadowRoot.querySelector('[data-out="vae-epoch"]')?.textContent ?? ''), null, { timeout: 20000 });

    // Reloaded, the page offers the stored points again.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.ok(await vae.locator('[data-input="dataset"] option[value="own"]').count() === 1, 'the stored points are offered after a reload');
  }, { path: 'embed.html?widget=vae' }));
});
