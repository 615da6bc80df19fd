// The module embed from another origin: a host page on one server mounts widgets with
// `mount()` from the lab served (with CORS) on another port — another origin. The VAE's
// worker must start there too (browsers run worker scripts only from the page's own origin;
// the widget boots a same-origin blob worker that imports the lab's worker module).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from './lib/server.js';
import { launch } from './lib/browser.js';

describe('mount() from another origin', () => {
  let lab;
  let host;
  let browser;
  let dir;

  before(async () => {
    lab = await serve(undefined, { cors: true });
    dir = mkdtempSync(join(tmpdir(), 'elbo-host-'));
    writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>host</title><link rel="icon" href="data:,">
<div id="vae"></div><div id="entropy"></div><script type="module" src="host.js"></script>`);
    writeFileSync(join(dir, 'host.js'), `import { mount } from '${lab.url}elbo-lab.js';
await mount(document.getElementById('entropy'), 'entropy');
await mount(document.getElementById('vae'), 'vae');
document.body.dataset.mounted = 'yes';`);
    host = await serve(`${dir}/`);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await host?.close();
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the host on another origin mounts entropy and a working VAE trainer', async () => {
    assert.notEqual(new URL(lab.url).origin, new URL(host.url).origin);
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(host.url);
    await page.waitForSelector('body[data-mounted="yes"]', { timeout: 20000 });
    const inShadow = (sel) => page.evaluate((sel) => document.querySelector(sel).shadowRoot !== null, sel);
    assert.ok(await inShadow('#vae') && await inShadow('#entropy'));
    // The trainer starts (its Start button is enabled once the worker has built a model), and
    // one epoch trains.
    const train = page.locator('#vae >> [data-action="train"]');
    await train.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => !document.querySelector('#vae').shadowRoot.querySelector('[data-action="train"]').disabled, null, { timeout: 30000 });
    await page.locator('#vae >> [data-action="step"]').click();
    await page.waitForFunction(() => document.querySelector('#vae').shadowRoot.querySelector('[data-out="vae-epoch"]').textContent.startsWith('1 '), null, { timeout: 30000 });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
