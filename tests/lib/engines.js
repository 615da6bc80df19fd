// One small driver for three browser engines, all from Debian's packages (never a downloaded
// browser): Chromium through playwright-core (./browser.js), Firefox ESR over WebDriver BiDi
// through puppeteer-core, and WebKitGTK's MiniBrowser through its WebKitWebDriver (classic
// WebDriver, selenium-webdriver) under an Xvfb display this module starts.
//
//   const engine = await launchEngine('webkit');
//   const page = await engine.open(url);        // waits for html[data-ready="true"]
//   await page.evaluate((a, b) => a + b, 1, 2); // 3: fn runs in the page; args and result are JSON
//   await page.click('[data-action="step"]'); await page.press('input', 'ArrowRight');
//   await page.errors();                        // console errors/warnings, page errors, alerts
//   await engine.close();                       // the browser, its driver and Xvfb, every time
//
// Functions passed to evaluate/waitFor are sent as source text: they cannot use the test's
// variables, only their arguments. They may be async.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import puppeteer from 'puppeteer-core';
import { Builder, Key } from 'selenium-webdriver';
import { launch as launchChromium } from './browser.js';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';

/**
 * How long a page may take to become ready: a wait, not a speed check (the whole chapter in
 * WebKit took 26 s per load with the machine at load 12, and the suite runs two files at a time).
 */
const READY_MS = 60000;

/** The engines a test file runs: $ENGINES (comma-separated) if set, else `all`. */
export function selected(all) {
  const want = process.env.ENGINES?.split(',').map((e) => e.trim()).filter(Boolean);
  return want ? all.filter((e) => want.includes(e)) : all;
}

/** WebKitGTK's MiniBrowser (in libwebkit2gtk-4.1-0, not on PATH): $MINIBROWSER_PATH, else found. */
export function miniBrowserPath() {
  if (process.env.MINIBROWSER_PATH) return process.env.MINIBROWSER_PATH;
  for (const dir of ['/usr/lib', ...readdirSync('/usr/lib').filter((d) => d.endsWith('-linux-gnu')).map((d) => `/usr/lib/${d}`)]) {
    for (const sub of existsSync(dir) ? readdirSync(dir).filter((d) => /^webkit2?gtk-[0-9.]+$/.test(d)) : []) {
      if (existsSync(`${dir}/${sub}/MiniBrowser`)) return `${dir}/${sub}/MiniBrowser`;
    }
  }
  return null;
}

/** Why `engine` cannot run here (a missing package), or null. */
export function missing(engine) {
  const need = {
    chromium: [['/usr/bin/chromium', 'chromium']],
    firefox: [[FIREFOX, 'firefox-esr']],
    webkit: [[WEBKIT_DRIVER, 'webkit2gtk-driver'], [miniBrowserPath() ?? 'MiniBrowser', 'libwebkit2gtk-4.1-0'], ['/usr/bin/Xvfb', 'xvfb']],
  }[engine];
  const absent = need.filter(([path]) => !existsSync(path));
  return absent.length ? `${absent.map(([p, pkg]) => `${p} (${pkg})`).join(', ')} missing: run \`make setup-browser\`` : null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A timer for Promise.race that does not keep the process alive once the race is decided. */
const grace = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/** Polls `check()` until it returns a truthy value; throws `what` after `timeout` ms. */
async function until(check, timeout, what) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** An unused TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Every process group this module started, killed on exit even if a test forgot to close.
const groups = new Set();
process.on('exit', () => { for (const pid of groups) killGroup(pid); });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => { for (const pid of groups) killGroup(pid); process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)); });
}

function killGroup(pid, signal = 'SIGKILL') {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
  groups.delete(pid);
}

/** Spawns `cmd` in its own process group (so its children die with it); returns the child. */
function spawnGroup(cmd, args, options = {}) {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], ...options });
  groups.add(child.pid);
  child.stderrText = '';
  child.stderr?.on('data', (d) => { child.stderrText = (child.stderrText + d).slice(-4000); });
  return child;
}

/** Stops a group started by spawnGroup: SIGTERM, then SIGKILL after 2 s. */
async function stopGroup(child) {
  if (!child || !groups.has(child.pid)) return;
  killGroup(child.pid, 'SIGTERM');
  groups.add(child.pid);
  const gone = new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
  await Promise.race([gone, grace(2000)]);
  killGroup(child.pid);
}

/** Starts Xvfb on a free display (it picks one and tells us through -displayfd). */
async function startXvfb() {
  const child = spawnGroup('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let text = '';
  const display = await Promise.race([
    new Promise((resolve) => child.stdio[3].on('data', (d) => { text += d; if (text.includes('\n')) resolve(`:${text.trim()}`); })),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${child.stderrText}`)))),
    grace(15000).then(() => { throw new Error('Xvfb did not report a display within 15 s'); }),
  ]);
  return { child, display };
}

/** Text the page shows in #load-error and visible [role=alert] elements (shadow roots too). */
function alertsInPage() {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('#load-error, [role="alert"]')) {
      const text = el.textContent.trim();
      if (text && !el.hidden && el.getClientRects().length) found.push(`alert ${el.id || el.dataset.out || el.className}: ${text}`);
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return found;
}

// An in-page error collector for WebKit (classic WebDriver has no console events, and no
// script can be injected before the page's own): installed right after load, it records
// console.error/warn, uncaught errors and unhandled rejections from then on.
function installCollector() {
  if (window.__engineErrors) return;
  const errors = [];
  window.__engineErrors = errors;
  for (const level of ['error', 'warn']) {
    const original = console[level];
    console[level] = (...args) => { errors.push(`${level}: ${args.map(String).join(' ')}`); original.apply(console, args); };
  }
  window.addEventListener('error', (e) => errors.push(`pageerror: ${e.message} (${e.filename}:${e.lineno})`));
  window.addEventListener('unhandledrejection', (e) => errors.push(`unhandledrejection: ${e.reason?.message ?? e.reason}`));
}

/** The source of a call of `fn` (a function, or a function's source text) with JSON `args`. */
const callSource = (fn, args) => `(${typeof fn === 'string' ? fn : fn.toString()})(...${JSON.stringify(args)})`;

/** Every URL the page loaded, from its resource timing (the document itself first). */
const resourcesInPage = () => [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)];

/**
 * In the page: scrolls the element `selector` names to the middle of the view, then resolves
 * true once it can take a click where a driver will aim (its box's centre): the box held still
 * over two animation frames, and the element (or a child of it) is what is hit there. A driver
 * clicks at the point where it found the element, so a layout that moves in between (a widget
 * mounting as it scrolls into view, a font arriving) sends the click elsewhere; seen in WebKit.
 */
async function settleForClick(selector) {
  const el = document.querySelector(selector);
  if (!el) return `no element matches ${selector}`;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const box = () => { const b = el.getBoundingClientRect(); return [b.x, b.y, b.width, b.height].map((v) => Math.round(v)).join(); };
  const end = performance.now() + 10000;
  el.scrollIntoView({ block: 'center', behavior: 'instant' });
  for (let last = box(); performance.now() < end; ) {
    await frame();
    await frame();
    const now = box();
    const b = el.getBoundingClientRect();
    const hit = el.getRootNode().elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
    if (now === last && hit && el.contains(hit)) return true;
    if (now !== last) last = now;
    else el.scrollIntoView({ block: 'center', behavior: 'instant' });
  }
  return `${selector} did not hold still and take the pointer at its centre within 10 s`;
}

/** Throws unless settleForClick (run by `run`) said the element can take a click. */
async function settled(run, selector) {
  const ok = await run(settleForClick, [selector]);
  if (ok !== true) throw new Error(ok);
}

// ---------------------------------------------------------------------------------------

/** Chromium and Firefox: the page API on a puppeteer or playwright page (same method names). */
function pageOf(engine, page, { kind }) {
  const problems = [];
  const dialogs = [];
  const requests = [];
  page.on('console', (msg) => {
    const type = msg.type();
    if (type === 'error' || type === 'warn' || type === 'warning') problems.push(`${type}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message ?? err}`));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => requests.push(r.url()));
  const evaluate = (fn, ...args) => page.evaluate(callSource(fn, args));
  return {
    engine,
    async goto(url) {
      await page.goto(url);
      await this.waitFor(() => document.documentElement.dataset.ready === 'true', [], READY_MS, `html[data-ready="true"] of ${url.length > 80 ? `${url.slice(0, 70)}…` : url}`);
    },
    evaluate,
    async waitFor(fn, args = [], timeout = 30000, what = fn.toString()) {
      return until(() => evaluate(fn, ...args), timeout, what);
    },
    async click(selector) {
      await settled((fn, args) => evaluate(fn, ...args), selector);
      await page.click(selector);
    },
    async press(selector, key, times = 1) {
      await page.focus(selector);
      for (let i = 0; i < times; i += 1) await page.keyboard.press(key);
    },
    async type(selector, text) {
      await page.focus(selector);
      await evaluate((s) => document.querySelector(s).select(), selector);
      await page.keyboard.type(text);
    },
    async screenshot(path) {
      const png = await page.screenshot(kind === 'playwright' ? { fullPage: false } : {});
      writeFileSync(path, png);
    },
    async errors() {
      return [...problems, ...dialogs.map((m) => `dialog: ${m}`), ...await evaluate(alertsInPage)];
    },
    dialogs,
    /** Every URL requested (request events) or loaded (resource timing). */
    async urls() { return [...requests, ...await evaluate(resourcesInPage)]; },
    close: () => page.close(),
  };
}

/** WebKit: the same page API over classic WebDriver. One window per engine: open() navigates it. */
function webkitPage(driver) {
  const dialogs = [];
  const script = (fn, args) => driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     Promise.resolve().then(() => ${callSource(fn, args)})
       .then((value) => done({ value: value === undefined ? null : value }),
             (err) => done({ error: String(err && err.stack || err) }));`);
  const run = async (fn, args, retry = true) => {
    let out;
    try {
      out = await script(fn, args);
    } catch (err) {
      // A dialog the page opened blocks every command; WebDriver dismisses it and says so.
      if (err.name !== 'UnexpectedAlertOpenError') throw err;
      dialogs.push((await alertText()) ?? err.getAlertText?.() ?? `(a dialog: ${err.message})`);
      if (retry) return run(fn, args, false);
      throw err;
    }
    if (out === null) { // a dialog opened while the script ran, which stopped it
      const text = await alertText();
      if (text !== null) dialogs.push(text);
      // A page timer may have opened it mid-script: recorded, the script runs once more. If the
      // script opens it itself, it does so again, and then this is an error.
      if (text !== null && retry) return run(fn, args, false);
      throw new Error(`in WebKit: the script returned nothing${text === null ? '' : ` (it opened a dialog: ${text})`}`);
    }
    if (out.error) throw new Error(`in WebKit: ${out.error}`);
    return out.value;
  };
  /** The open alert's text, if a script opened one (WebDriver blocks every command then). */
  const alertText = async () => {
    try {
      const alert = await driver.switchTo().alert();
      const text = await alert.getText();
      await alert.dismiss();
      return text;
    } catch {
      return null;
    }
  };
  const element = async (selector) => {
    const [el] = await driver.findElements({ css: selector });
    if (!el) throw new Error(`no element matches ${selector}`);
    await driver.executeScript((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }), el);
    return el;
  };
  const KEYS = { ArrowRight: Key.ARROW_RIGHT, ArrowLeft: Key.ARROW_LEFT, ArrowUp: Key.ARROW_UP, ArrowDown: Key.ARROW_DOWN, Enter: Key.ENTER, Home: Key.HOME, End: Key.END, Tab: Key.TAB };
  return {
    engine: 'webkit',
    async goto(url, retry = true) {
      await driver.get('about:blank');
      await driver.get(url).catch((err) => { if (err.name !== 'UnexpectedAlertOpenError') throw err; });
      const text = await alertText();
      if (text !== null) dialogs.push(text);
      try {
        await this.waitFor(() => document.documentElement.dataset.ready === 'true', [], READY_MS, `html[data-ready="true"] of ${url.length > 80 ? `${url.slice(0, 70)}…` : url}`);
      } catch (err) {
        // MiniBrowser under Xvfb very rarely stalls one load (seen once in ~150 loads on a busy
        // machine; the same URL then loads at once). One more load of the same URL tells that
        // apart from a page that never gets ready, which fails the second time too.
        if (!retry) throw err;
        return this.goto(url, false);
      }
      await driver.executeScript(`(${installCollector})()`);
    },
    evaluate: (fn, ...args) => run(fn, args),
    async waitFor(fn, args = [], timeout = 30000, what = fn.toString()) {
      return until(() => run(fn, args), timeout, what);
    },
    async click(selector) {
      await settled(run, selector);
      await (await driver.findElement({ css: selector })).click();
    },
    async press(selector, key, times = 1) {
      const el = await element(selector);
      for (let i = 0; i < times; i += 1) await el.sendKeys(KEYS[key] ?? key);
    },
    async type(selector, text) {
      const el = await element(selector);
      await driver.executeScript((e) => { e.focus(); e.select(); }, el);
      await el.sendKeys(text);
    },
    async screenshot(path) { writeFileSync(path, Buffer.from(await driver.takeScreenshot(), 'base64')); },
    async errors() {
      const text = await alertText();
      if (text !== null) dialogs.push(text);
      const inPage = await run(() => window.__engineErrors ?? ['the error collector is missing (the page reloaded?)'], []);
      return [...inPage, ...dialogs.map((m) => `dialog: ${m}`), ...await run(alertsInPage, [])];
    },
    dialogs,
    /** Every URL loaded, from resource timing: classic WebDriver has no request events. */
    urls: () => run(resourcesInPage, []),
    close: async () => {},
  };
}

/**
 * Launches `name` ('chromium' | 'firefox' | 'webkit'); resolves to { name, version, open(url),
 * close() }. open(url) resolves to a page (see the top of this file) once the chapter is ready.
 * close() stops everything this launch started, whatever state it is in.
 */
export async function launchEngine(name) {
  const why = missing(name);
  if (why) throw new Error(why);
  if (name === 'chromium') {
    const browser = await launchChromium();
    return {
      name, version: browser.version(),
      async open(url) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = pageOf(name, await context.newPage(), { kind: 'playwright' });
        await page.goto(url);
        return page;
      },
      close: () => browser.close(),
    };
  }
  if (name === 'firefox') {
    const browser = await puppeteer.launch({
      browser: 'firefox', executablePath: FIREFOX, headless: true, protocol: 'webDriverBiDi',
      defaultViewport: { width: 1280, height: 900 },
    });
    const pid = browser.process()?.pid;
    return {
      name, version: await browser.version(),
      async open(url) {
        const page = pageOf(name, await browser.newPage(), { kind: 'puppeteer' });
        await page.goto(url);
        return page;
      },
      async close() {
        await Promise.race([browser.close(), grace(10000)]).catch(() => {});
        if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* closed */ }
      },
    };
  }
  if (name === 'webkit') {
    let xvfb;
    let wd;
    let driver;
    const close = async () => {
      if (driver) await Promise.race([driver.quit(), grace(10000)]).catch(() => {});
      await stopGroup(wd);
      await stopGroup(xvfb?.child);
    };
    try {
      xvfb = await startXvfb();
      const port = await freePort();
      wd = spawnGroup(WEBKIT_DRIVER, [`--port=${port}`], { env: { ...process.env, DISPLAY: xvfb.display } });
      const server = `http://127.0.0.1:${port}`;
      await until(async () => (await fetch(`${server}/status`).then((r) => r.ok, () => false)) || wd.exitCode !== null,
        15000, 'WebKitWebDriver to answer');
      if (wd.exitCode !== null) throw new Error(`WebKitWebDriver exited (${wd.exitCode}): ${wd.stderrText}`);
      const session = new Builder().usingServer(server).withCapabilities({
        browserName: 'MiniBrowser',
        unhandledPromptBehavior: 'ignore', // keep a dialog open, so its text can be read and reported
        'webkitgtk:browserOptions': { binary: miniBrowserPath(), args: ['--automation'] },
      }).build();
      session.catch(() => {}); // a late failure after the timeout below is reported by it
      driver = await Promise.race([session, grace(60000).then(() => {
        throw new Error(`WebKitWebDriver started no MiniBrowser session within 60 s: ${wd.stderrText}`);
      })]);
      await driver.manage().setTimeouts({ script: 120000, pageLoad: 60000 });
      await driver.manage().window().setRect({ width: 1280, height: 900 }).catch(() => {});
      const caps = await driver.getCapabilities();
      return {
        name, version: `${caps.get('browserName')} ${caps.get('browserVersion')}`,
        async open(url) {
          const page = webkitPage(driver); // a fresh record of dialogs; the same window
          await page.goto(url);
          return page;
        },
        close,
      };
    } catch (err) {
      await close();
      throw err;
    }
  }
  throw new Error(`unknown engine ${name}: chromium, firefox or webkit`);
}
