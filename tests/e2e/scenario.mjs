// The guest-to-member scenario in a real browser: a guest searches by a lay
// term, opens one code page, opens a second and meets the register prompt
// with 0 views left; registers, confirms the address from the mailed link and
// reads 5 more; logs out and in again.
// Screenshots of each step go to $OE_E2E_ARTIFACTS.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.OE_E2E_URL;
const OUT = process.env.OE_E2E_ARTIFACTS || 'artifacts';
assert.ok(BASE, 'OE_E2E_URL must name the gateway');
assert.equal(process.env.OE_E2E_MODE, 'real', 'the browser test runs only against the real suite');
console.log(`e2e: ${BASE} (real services)`);

// A fresh profile each run (Playwright's form of --user-data-dir).
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'oe-e2e-')), {
  executablePath: process.env.OE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 390, height: 844 }, // a phone
});
const context = browser;
const page = await context.newPage();
page.setDefaultTimeout(15000);
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
let step = 0;
let passed = 0;
const shot = (name) => page.screenshot({ path: join(OUT, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true });
async function check(name, fn) {
  try { await fn(); passed++; console.log(`ok - ${name}`); } catch (e) {
    await shot(`FAILED-${name.replace(/\W+/g, '-')}`).catch(() => {});
    console.log(`not ok - ${name}\n${e.stack}`);
    console.log(`${passed} passed, 1 failed`);
    await browser.close();
    process.exit(1);
  }
}
const meter = () => page.locator('#page-meter').innerText();

let hits = [];
await check('guest searches by a lay term and sees results as they type', async () => {
  await page.goto(BASE);
  await page.locator('#q').pressSequentially('heart attack', { delay: 30 });
  // Results follow the keystrokes; wait for the whole phrase's (an I21 hit)
  // rather than whatever a prefix showed first.
  await page.locator('#results [role=option] a[href*="/I21"]').first().waitFor();
  hits = await page.locator('#results [role=option] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hits.length >= 2, `want at least 2 hits, got ${hits.length}`);
  assert.ok(hits.some((h) => /\/I21/.test(h)), `'heart attack' should find I21.x, got ${hits.join(' ')}`);
  await shot('search-heart-attack');
});

await check('keyboard: arrow down selects a result, Enter opens it', async () => {
  await page.locator('#q').press('ArrowDown');
  assert.equal(await page.locator('#results [aria-selected=true]').count(), 1);
  await page.locator('#q').press('Enter');
  await page.locator('#code-page').waitFor();
  await page.locator('#plain').waitFor();
  assert.match(await meter(), /^0 code page views? remaining/);
  await shot('first-code-page');
});

await check('a second code page shows the register prompt with 0 views left', async () => {
  await page.goto(new URL(hits[1], BASE).href);
  await page.locator('#code-page.teaser').waitFor();
  assert.match(await page.locator('#code-page').innerText(), /Register to view content/);
  assert.match(await meter(), /^0 code page views? remaining/);
  await shot('register-prompt');
});

const email = `e2e-${Date.now()}@example.com`;
const password = 'correct horse battery';
// The verification link mailed to `to` (the SMTP sink stores .eml files).
async function mailedToken(to) {
  const dir = process.env.OE_E2E_MAILDIR;
  assert.ok(dir, 'OE_E2E_MAILDIR must name the SMTP sink folder');
  for (let i = 0; i < 100; i++) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.eml'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      const m = text.match(/verify-email\.html\?token=([A-Za-z0-9._-]+)/);
      if (m && text.includes(to)) return m[1];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no verification mail to ${to}`);
}

await check('registering asks to confirm the address; the mailed link gives 5 more views', async () => {
  await page.locator('#register-more').click();
  await page.locator('#register-form').waitFor();
  await page.fill('input[name=email]', email);
  await page.fill('input[name=displayName]', 'E2E Coder');
  await page.fill('input[name=password]', password);
  await shot('register-form');
  await page.locator('#register-form button[type=submit]').click();
  await page.locator('#logout').waitFor({ state: 'visible' });
  await page.locator('#code-page.teaser').waitFor();
  assert.match(await page.locator('#code-page').innerText(), /Confirm your email address/);
  await shot('registered-confirm-prompt');
  const token = await mailedToken(email);
  await page.goto(`${BASE}verify-email.html?token=${token}`);
  await page.locator('#verify-status', { hasText: 'confirmed' }).waitFor();
  await shot('email-confirmed');
  await page.goto(new URL(hits[1], BASE).href);
  await page.locator('#plain').waitFor();
  assert.match(await meter(), /^4 code page views? remaining/);
  assert.equal(await page.locator('#logout').isVisible(), true);
  await shot('registered-second-page');
});

// Lay terms the demo data answers (data/search/synonyms.tsv maps them to
// the clinical words), each with the code its results must include.
const LAY_TERMS = [
  ['sugar diabetes', /\/E11/],
  ['broken wrist', /\/S52/],
  ['flu shot', /\/(G0008|Q20|9068)/],
  ['high blood pressure', /\/I10/],
];
await check('the member finds codes by lay terms and reads 4 more pages until none remain', async () => {
  const seen = new Set(hits.slice(0, 2));
  const more = [];
  for (const [term, want] of LAY_TERMS) {
    await page.goto(`${BASE}#/?q=${encodeURIComponent(term)}`);
    await page.locator('#results [role=option]').first().waitFor();
    const found = await page.locator('#results [role=option] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(found.some((h) => want.test(h)), `'${term}' should find ${want}, got ${found.join(' ')}`);
    const pick = found.find((h) => want.test(h) && !seen.has(h)) || found.find((h) => !seen.has(h));
    if (pick && more.length < 4) { seen.add(pick); more.push(pick); }
    if (more.length === 1) await shot(`search-${term.replace(/\W+/g, '-')}`);
  }
  assert.equal(more.length, 4, 'not enough distinct codes found to read');
  for (let i = 0; i < 4; i++) {
    await page.goto(new URL(more[i], BASE).href);
    await page.locator('#plain').waitFor();
    assert.match(await meter(), new RegExp(`^${3 - i} code page views? remaining`));
    await shot(`member-page-${i + 3}`);
  }
});

await check('log out and log in again', async () => {
  await page.locator('#logout').click();
  await page.locator('#nav-login').waitFor({ state: 'visible' });
  await shot('logged-out');
  await page.locator('#nav-login').click();
  await page.fill('#login-form input[name=email]', email);
  await page.fill('#login-form input[name=password]', password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#logout').waitFor({ state: 'visible' });
  assert.match(await page.locator('#who').innerText(), /E2E Coder|example\.com/);
  await shot('logged-in-again');
});

await check('the page raised no script errors', async () => {
  assert.deepEqual(errors, []);
});

await browser.close();
console.log(`${passed} passed, 0 failed`);
