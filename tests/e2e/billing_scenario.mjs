// Buying Pro, as a person would: a guest reads a code page, registers,
// confirms the address and reads 5 more, meets "Upgrade to Pro" on the next
// one, follows it to the pricing page and the payment provider's hosted
// checkout. The test plays the provider: its checkout page is served by
// the test (no network), and it posts the signed checkout.session.completed
// event to the webhook. Back on the account page the plan is Pro, and code
// pages are unlimited.
import assert from 'node:assert/strict';
import { BASE, check, finish, newPage, providerPosts, registerAndConfirm, shot } from './harness.mjs';

const page = await newPage();
const CODES = ['E119', 'E039', 'E109', 'E1110', 'E1121', 'E1122', 'E1140', 'E1142', 'E1165', 'E118'];
const open = async (code) => {
  await page.goto(`${BASE}#/code/ICD10CM/${code}`);
  await page.locator('#code-page').waitFor();
};
const email = `buyer-${Date.now()}@example.com`;
const password = 'correct horse battery';

await check('a guest reads one code page, then meets the register prompt', page, async () => {
  await open(CODES[0]);
  await page.locator('#plain').waitFor();
  await open(CODES[1]);
  await page.locator('#code-page.teaser').waitFor();
  await shot(page, 'guest-second-page-locked');
});

await check('registering and confirming the address gives 5 more views', page, async () => {
  await registerAndConfirm(page, email, password, 'Buyer');
  for (let i = 1; i <= 5; i++) {
    await open(CODES[i]);
    await page.locator('#plain').waitFor();
  }
  await shot(page, 'fifth-more-view');
});

await check('the next page says "Upgrade to Pro", which leads to the pricing page', page, async () => {
  await open(CODES[6]);
  await page.locator('#code-page.teaser').waitFor();
  await page.locator('#upgrade-link').waitFor();
  await shot(page, 'views-used-up-upgrade-link');
  await page.locator('#upgrade-link').click();
  await page.locator('#checkout').waitFor();
  await shot(page, 'pricing-page');
});

let reference = '';
await check('"Upgrade to Pro" goes to the provider\'s hosted checkout for this account', page, async () => {
  const checkoutUrl = process.env.OE_BILLING_CHECKOUT_URL;
  await page.route(`${new URL(checkoutUrl).origin}/**`, (route) => route.fulfill({
    status: 200, contentType: 'text/html',
    body: '<!doctype html><title>Test provider</title><h1>Test payment provider</h1><p>Pay 19.00 USD a month</p>',
  }));
  await page.locator('#checkout').click();
  await page.waitForURL((u) => u.href.startsWith(checkoutUrl));
  const url = new URL(page.url());
  reference = url.searchParams.get('client_reference_id') || '';
  assert.ok(reference, `the checkout URL names the account: ${url.href}`);
  assert.equal(url.searchParams.get('prefilled_email'), email);
  await shot(page, 'provider-checkout');
});

await check('the provider\'s signed "checkout completed" makes the plan Pro', page, async () => {
  const created = Math.floor(Date.now() / 1000);
  const event = {
    id: `evt_e2e_${created}`, object: 'event', type: 'checkout.session.completed', created,
    data: { object: { object: 'checkout.session', id: 'cs_e2e', mode: 'subscription', payment_status: 'paid',
      client_reference_id: reference, customer: `cus_e2e_${created}`, subscription: `sub_e2e_${created}` } },
  };
  const first = await providerPosts(event);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  // The provider delivers at least once: the same event again changes nothing.
  const again = await providerPosts(event);
  assert.equal(again.status, 200);
  assert.equal(again.body.duplicate, true);
  await page.goto(`${BASE}#/account?checkout=done`);
  await page.locator('#billing-plan', { hasText: 'Pro' }).waitFor();
  await shot(page, 'account-page-pro');
});

await check('Pro reads code pages without limit', page, async () => {
  for (const code of CODES.slice(6)) {
    await open(code);
    await page.locator('#plain').waitFor();
  }
  await page.reload();
  await page.locator('#plain').waitFor();
  await page.locator('#meter', { hasText: 'Unlimited code page views' }).waitFor();
  await shot(page, 'unlimited');
});

await finish();
