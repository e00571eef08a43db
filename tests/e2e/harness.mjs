// What the browser scenarios share (billing, account, reset, consult, jobs): headless Debian Chromium,
// one numbered screenshot per step, `check` that stops at the first
// failure (with a screenshot of it), the mailed verification link from the
// SMTP sink, and the payment provider's side (events signed with the
// endpoint's test secret exactly as Stripe signs them).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = process.env.OE_E2E_URL;
const OUT = process.env.OE_E2E_ARTIFACTS || 'artifacts';
assert.ok(BASE, 'OE_E2E_URL must name the gateway');
assert.equal(process.env.OE_E2E_MODE, 'real', 'the browser test runs only against the real suite');

export const browser = await chromium.launch({
  executablePath: process.env.OE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const errors = [];
// A fresh browser profile (its own cookies) with one page.
export async function newPage(userAgent) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, ...(userAgent ? { userAgent } : {}) });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => errors.push(String(e)));
  return page;
}

let step = 0;
let passed = 0;
export const shot = (page, name) =>
  page.screenshot({ path: join(OUT, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true });

// The page a failure's screenshot shows: the check's own, or the one a check
// that hands over between people named last with `focus`.
let current = null;
export function focus(page) { current = page; }

export async function check(name, page, fn) {
  current = page;
  try { await fn(); passed++; console.log(`ok - ${name}`); } catch (e) {
    await shot(current, `FAILED-${name.replace(/\W+/g, '-')}`).catch(() => {});
    console.log(`not ok - ${name}\n${e.stack}`);
    console.log(`${passed} passed, 1 failed`);
    await browser.close();
    process.exit(1);
  }
}

export async function finish() {
  await browser.close();
  assert.deepEqual(errors, [], `script errors on the pages: ${errors.join('; ')}`);
  console.log(`${passed} passed`);
}

// Every .eml the SMTP sink holds for `to` that contains `marker`.
export function mailsTo(to, marker) {
  const dir = process.env.OE_E2E_MAILDIR;
  assert.ok(dir, 'OE_E2E_MAILDIR must name the SMTP sink folder');
  return readdirSync(dir).filter((n) => n.endsWith('.eml'))
    .map((n) => readFileSync(join(dir, n), 'utf8'))
    .filter((text) => text.includes(to) && text.includes(marker));
}

// The newest verification token mailed to `to`, waiting up to 20 s for `count` mails.
export async function mailedToken(to, count = 1) {
  for (let i = 0; i < 100; i++) {
    const mails = mailsTo(to, 'verify-email.html?token=');
    if (mails.length >= count) return mails.at(-1).match(/verify-email\.html\?token=([A-Za-z0-9._-]+)/)[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`fewer than ${count} verification mails to ${to}`);
}

// Registers through the form on `page` and confirms the address by the mailed link.
export async function registerAndConfirm(page, email, password, name) {
  await page.goto(`${BASE}#/register`);
  await page.fill('#register-form input[name=email]', email);
  await page.fill('#register-form input[name=displayName]', name);
  await page.fill('#register-form input[name=password]', password);
  await page.locator('#register-form button[type=submit]').click();
  await page.locator('#logout').waitFor({ state: 'visible' });
  const token = await mailedToken(email);
  await page.goto(`${BASE}verify-email.html?token=${token}`);
  await page.locator('#verify-status', { hasText: 'confirmed' }).waitFor();
}

// The provider's side: posts `event` to the webhook as Stripe does
// (Stripe-Signature: t=<now>,v1=HMAC-SHA256(secret, "<t>.<body>")).
export async function providerPosts(event) {
  const secret = process.env.OE_BILLING_WEBHOOK_SECRET;
  assert.ok(secret, 'OE_BILLING_WEBHOOK_SECRET must be the suite\'s test secret');
  const body = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  const res = await fetch(new URL('/api/v1/billing/webhook', BASE), {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'Stripe-Signature': `t=${t},v1=${v1}` }, body,
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}
