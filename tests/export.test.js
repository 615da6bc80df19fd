// "Save charts as PNG" and "Save numbers as CSV" (www/lib/export.js): every widget with a
// chart or readout has the buttons; the downloads have the right names and hold what the
// page shows.
// Run: node --test tests/export.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chapterHarness, readout, widget } from './lib/chapter.js';
import { csvField, toCsv } from '../www/lib/export.js';

const { start, stop, withChapter, sharedChapter } = chapterHarness();

/** Clicks `button` and collects the downloads it starts (waits until `count` arrived). */
async function downloadsOf(page, button, count) {
  const got = [];
  const onDownload = (d) => got.push(d);
  page.on('download', onDownload);
  await button.click();
  const deadline = Date.now() + 10000;
  while (got.length < count && Date.now() < deadline) await page.waitForTimeout(50);
  await page.waitForTimeout(200); // no extra download after the expected ones
  page.off('download', onDownload);
  return Promise.all(got.map(async (d) => ({ name: d.suggestedFilename(), body: readFileSync(await d.path()) })));
}

/** A minimal RFC 4180 parser, for checking what the page wrote. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 1; } else field += c;
  }
  return rows;
}

describe('export', { concurrency: false }, () => {
  before(start);
  after(stop);

  // One page for these: the buttons, then the entropy widget's files, then an edit of the KL widget.
  describe('the English chapter', () => {
    const shared = sharedChapter();

    it('every widget has the export buttons it needs', shared(async ({ page }) => {
      const tools = await page.evaluate(() => [...document.querySelectorAll('[data-widget]')].map((w) => ({
        id: w.dataset.widget,
        png: w.querySelectorAll('.widget-tools [data-action="export-png"]').length,
        csv: w.querySelectorAll('.widget-tools [data-action="export-csv"]').length,
      })));
      for (const w of tools) {
        assert.ok(w.png <= 1 && w.csv <= 1 && w.png + w.csv >= 1, `${w.id}: ${JSON.stringify(w)}`);
      }
      for (const id of ['information', 'entropy', 'kl-discrete', 'kl-fit', 'likelihood', 'posterior', 'jensen', 'vae']) {
        assert.deepEqual(tools.find((w) => w.id === id), { id, png: 1, csv: 1 }, id);
      }
      assert.deepEqual(tools.find((w) => w.id === 'derivation'), { id: 'derivation', png: 0, csv: 1 }, 'derivation: numbers, no chart');
      assert.equal(await widget(page, 'entropy').locator('[data-action="export-png"]').textContent(), 'Save charts as PNG');
    }));

    it('the entropy widget saves each chart as PNG and its numbers as CSV', shared(async ({ page }) => {
      const w = widget(page, 'entropy');
      await w.locator('[data-action="export-png"]').scrollIntoViewIfNeeded();
      const canvases = await w.locator('canvas').count();
      const pngs = await downloadsOf(page, w.locator('[data-action="export-png"]'), canvases);
      assert.deepEqual(pngs.map((d) => d.name).sort(),
        Array.from({ length: canvases }, (_, i) => `elbo-lab-entropy-${i + 1}.png`));
      const sizes = await w.locator('canvas').evaluateAll((cs) => cs.map((c) => [c.width, c.height]));
      for (const [i, png] of pngs.entries()) {
        assert.equal(png.body.subarray(1, 4).toString(), 'PNG', `${png.name} is a PNG`);
        // IHDR: width and height, big-endian, at bytes 16..23.
        const dims = [png.body.readUInt32BE(16), png.body.readUInt32BE(20)];
        assert.ok(sizes.some(([cw, ch]) => cw === dims[0] && ch === dims[1]), `${pngs[i].name}: ${dims} not a canvas size`);
      }

      const [csv] = await downloadsOf(page, w.locator('[data-action="export-csv"]'), 1);
      assert.equal(csv.name, 'elbo-lab-entropy.csv');
      const text = csv.body.toString('utf8').replace(/^\uFEFF/, '');
      const rows = parseCsv(text);
      const cells = rows.flat();
      for (const name of ['entropy-bits', 'entropy-nats', 'entropy-max']) {
        const shown = await readout(page, name);
        assert.ok(cells.includes(shown), `CSV lacks ${name} = "${shown}":\n${text}`);
      }
      assert.deepEqual(rows.find((r) => r[0] === 'H(p)'), ['H(p)', await readout(page, 'entropy-bits')]);
      const probs = await w.locator('input.prob').evaluateAll((xs) => xs.map((x) => x.value));
      for (const p of probs) assert.ok(cells.includes(p), `CSV lacks the typed value ${p}`);
      assert.ok(rows.some((r) => r.includes('−pᵢ log₂ pᵢ')), 'the table header is in the CSV');
    }));

    it('the KL widget CSV follows an edit, and Chinese labels survive in UTF-8', shared(async ({ page }) => {
      const w = widget(page, 'kl-discrete');
      const button = w.locator('[data-action="export-csv"]');
      await button.scrollIntoViewIfNeeded();
      const before = parseCsv((await downloadsOf(page, button, 1))[0].body.toString('utf8').replace(/^\uFEFF/, ''));
      await w.locator('input.prob').first().fill('0.9');
      await w.locator('input.prob').first().press('Enter');
      const [after] = await downloadsOf(page, button, 1);
      assert.equal(after.name, 'elbo-lab-kl-discrete.csv');
      const rows = parseCsv(after.body.toString('utf8').replace(/^\uFEFF/, ''));
      assert.notDeepEqual(rows, before, 'the CSV did not change after an edit');
      assert.ok(rows.flat().includes('0.900'), 'the edited value is in the CSV');
      const outs = await w.locator('output[data-out]').evaluateAll((os) => os.filter((o) => !o.closest('[hidden]'))
        .map((o) => o.textContent.replace(/\s+/g, ' ').trim()).filter(Boolean));
      for (const o of outs) assert.ok(rows.flat().includes(o), `CSV lacks "${o}"`);
    }));
  });

  it('quotes CSV fields that need it', () => {
    assert.equal(csvField('1.000 bits'), '1.000 bits');
    assert.equal(csvField('a, b'), '"a, b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(' padded'), '" padded"');
    const rows = [['H(p)', '1, 2'], ['q "x"', '−∞'], ['', 'line\r\nbreak']];
    assert.deepEqual(parseCsv(toCsv(rows)), rows);
  });




  it('Chinese: buttons and CSV text in Chinese', () => withChapter(async ({ page }) => {
    const w = widget(page, 'entropy');
    assert.equal(await w.locator('[data-action="export-csv"]').textContent(), '将数值保存为 CSV');
    await w.locator('[data-action="export-csv"]').scrollIntoViewIfNeeded();
    const [csv] = await downloadsOf(page, w.locator('[data-action="export-csv"]'), 1);
    const text = csv.body.toString('utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a byte-order mark');
    assert.ok(text.includes(await readout(page, 'entropy-bits')), text);
    assert.match(text, /[\u4e00-\u9fff]/);
  }, { path: '?lang=zh' }));
});
