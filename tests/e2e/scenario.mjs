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
// A readable picture of one part of the page (full-page shots of a phone
// are too tall to read).
const shotOf = (selector, name) => page.locator(selector).screenshot({ path: join(OUT, `${String(++step).padStart(2, '0')}-${name}.png`) });
const shotTop = (name) => page.screenshot({ path: join(OUT, `${String(++step).padStart(2, '0')}-${name}.png`) });
const meter = () => page.locator('#page-meter').innerText();
// The seed's sentence, word for word, after a guest's only view.
const GUEST_METER = '0 code page views remaining. Guest accounts are limited to 1 page view. '
  + 'Register free account to get 5 more views.';

let hits = [];
await check('guest searches by a lay term and sees results as they type', async () => {
  await page.goto(BASE);
  await page.locator('#q').pressSequentially('heart attack', { delay: 30 });
  // Results follow the keystrokes; wait for the whole phrase's (an I21 hit)
  // rather than whatever a prefix showed first.
  await page.locator('#results [role=option][data-href*="/I21"]').first().waitFor();
  hits = await page.locator('#results [role=option]').evaluateAll((os) => os.map((o) => o.dataset.href));
  // Options hold no links (a listbox option must not nest interactive content).
  assert.equal(await page.locator('#results [role=option] a').count(), 0);
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
  assert.equal(await meter(), GUEST_METER);
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
    const found = await page.locator('#results [role=option]').evaluateAll((os) => os.map((o) => o.dataset.href));
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

// Each of the following starts as a new guest (cookies cleared: a fresh
// guest session with its 1 view).
async function asNewGuest(hash) {
  await context.clearCookies();
  await page.goto(`${BASE}${hash}`);
  await page.reload();
  await page.locator('#code-page').waitFor();
}

await check('E11.22 shows its Tabular List notes with origin and edition, and the guest meter', async () => {
  await asNewGuest('#/code/ICD10CM/E1122');
  assert.equal(await meter(), GUEST_METER);
  const notes = await page.locator('#tabular-notes').innerText();
  assert.match(notes, /Use additional code to identify stage of chronic kidney disease \(N18\.1-N18\.6\)/);
  assert.match(notes, /this code · ICD-10-CM Tabular FY2023/);
  assert.match(notes, /from category E11 · ICD-10-CM Tabular FY2023/);
  assert.equal(await page.locator('#tabular-notes a[href="#/code/ICD10CM/N181"]').count(), 1);
  assert.match(await page.locator('#index-entries').innerText(),
    /Diabetes, diabetic, type 2, with, chronic kidney disease → E11\.22/);
  await shotTop('e1122-top-guest-meter');
  await shotOf('#index', 'e1122-index-entries');
  await shotOf('#tabular-notes', 'e1122-tabular-notes');
});

await check('the CasePilot box on the page asks about that code and answers about it', async () => {
  const box = page.locator('#casepilot');
  assert.equal(await box.locator('h2').innerText(), 'Have a question about ICD-10-CM code E11.22?');
  await page.fill('#casepilot-q', 'What does this code mean?');
  await box.locator('button[type=submit]').click();
  await box.locator('.answer:not(:empty)').waitFor();
  await page.waitForFunction(() => !document.querySelector('#casepilot .progress'), null, { timeout: 30000 });
  const answer = await box.locator('#casepilot-answer').innerText();
  assert.match(answer, /E11\.22/, `the answer should be about E11.22: ${answer}`);
  assert.doesNotMatch(answer, /\*\*/, 'Markdown is rendered, not shown raw');
  await shotOf('#casepilot', 'e1122-casepilot-answer');
});

// The gateway allows few guest sessions per address and day; the rest of
// the pages are read by a second member.
await check('a second member registers and confirms the address', async () => {
  await context.clearCookies();
  await page.goto(`${BASE}#/register`);
  await page.reload();
  await page.locator('#register-form').waitFor();
  const secondEmail = `e2e-2-${Date.now()}@example.com`;
  await page.fill('input[name=email]', secondEmail);
  await page.fill('input[name=displayName]', 'E2E Second');
  await page.fill('input[name=password]', password);
  await page.locator('#register-form button[type=submit]').click();
  await page.locator('#logout').waitFor({ state: 'visible' });
  // The 5 more views come with a confirmed address (issue 13).
  const token = await mailedToken(secondEmail);
  await page.goto(`${BASE}verify-email.html?token=${token}`);
  await page.locator('#verify-status', { hasText: 'confirmed' }).waitFor();
});

await check('99213 has our title, the licence note under it and the Medicare fee', async () => {
  await page.goto(`${BASE}#/code/CPT/99213`);
  await page.locator('#fee').waitFor();
  assert.equal(await page.locator('#code-page h1').innerText(), '99213 Office or other outpatient visits (E/M)');
  assert.match(await page.locator('#code-page .subtitle').innerText(), /^Returning-patient office visit/);
  assert.match(await page.locator('#licence-note').innerText(), /title above/);
  assert.match(await meter(), /^4 code page views remaining/);
  const fee = await page.locator('#fee').innerText();
  assert.match(fee, /National\s+\$90\.87\s+\$65\.24/);
  assert.match(fee, /Estimate from the Medicare Physician Fee Schedule, Medicare PFS CY2024 RVU24C/);
  await page.fill('#fee-locality input[name=locality]', '13202-01');
  await page.locator('#fee-locality button').click();
  await page.locator('#fee >> text=MANHATTAN').waitFor();
  assert.match(await page.locator('#fee').innerText(), /MANHATTAN\s+\$103\.22\s+\$73\.33/);
  // Showing another locality is the same view: the meter did not move on.
  assert.match(await meter(), /^4 code page views remaining/);
  await shotTop('99213-top-title-licence-note');
  await shotOf('#fee', '99213-fee');
});

await check('0371T says deleted 2019-01-01 and links its replacement 97157', async () => {
  await page.goto(`${BASE}#/code/CPT/0371T`);
  await page.locator('#lifecycle').waitFor();
  const line = await page.locator('#lifecycle').innerText();
  assert.match(line, /deleted 2019-01-01/);
  assert.doesNotMatch(line, /billable/);
  assert.equal(await page.locator('#lifecycle a.replacement[href="#/code/CPT/97157"]').count(), 1);
  await shotTop('0371T-deleted');
});

await check('CasePilot chat renders Markdown and links the codes it cites', async () => {
  await page.goto(`${BASE}#/chat`);
  await page.fill('#chat-q', 'What is E11.22?');
  await page.locator('#chat-form button[type=submit]').click();
  await page.locator('#chat-log li.pilot .sources').waitFor();
  await page.waitForFunction(() => !document.querySelector('#chat-log .progress'), null, { timeout: 30000 });
  const reply = page.locator('#chat-log li.pilot').first();
  assert.doesNotMatch(await reply.innerText(), /\*\*/);
  assert.ok(await reply.locator('a[href="#/code/ICD10CM/E1122"]').count() >= 1, 'E11.22 links to its page');
  await shotOf('#chat-log', 'chat-answer');
});

await check('the page raised no script errors', async () => {
  assert.deepEqual(errors, []);
});

await browser.close();
console.log(`${passed} passed, 0 failed`);
