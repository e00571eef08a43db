// The account page, as a person uses it: resend the confirmation link,
// see where they are signed in (device, network, last seen) and sign
// another browser out, change the password (which signs the other browsers
// out), and delete the account (after which nothing signs in with it).
import assert from 'node:assert/strict';
import { BASE, check, finish, mailedToken, mailsTo, newPage, shot } from './harness.mjs';

const page = await newPage();
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Firefox/125.0 Mobile';
const phone = await newPage(PHONE_UA);
const email = `account-${Date.now()}@example.com`;
let password = 'correct horse battery';

async function logIn(p, pw) {
  await p.goto(`${BASE}#/login`);
  await p.fill('#login-form input[name=email]', email);
  await p.fill('#login-form input[name=password]', pw);
  await p.locator('#login-form button[type=submit]').click();
  await p.locator('#logout').waitFor({ state: 'visible' });
}
// The account page afresh (the same hash again would not re-render it).
async function accountPage(p) {
  await p.goto(`${BASE}#/account`);
  await p.reload();
  await p.locator('#sessions li').first().waitFor();
}
async function signedOut(p) {
  await p.goto(`${BASE}#/account`);
  await p.reload();
  await p.locator('#nav-login').waitFor({ state: 'visible' });
}

await check('a new member resends the confirmation link from the account page', page, async () => {
  await page.goto(`${BASE}#/register`);
  await page.fill('#register-form input[name=email]', email);
  await page.fill('#register-form input[name=displayName]', 'Account Owner');
  await page.fill('#register-form input[name=password]', password);
  await page.locator('#register-form button[type=submit]').click();
  await page.locator('#logout').waitFor({ state: 'visible' });
  await mailedToken(email, 1);
  await page.locator('#who').click();
  await page.locator('#resend-verification').click();
  await page.locator('#verification-result', { hasText: 'We sent a new confirmation link' }).waitFor();
  const token = await mailedToken(email, 2);
  assert.equal(mailsTo(email, 'verify-email.html?token=').length, 2);
  await shot(page, 'resent-confirmation');
  await page.goto(`${BASE}verify-email.html?token=${token}`);
  await page.locator('#verify-status', { hasText: 'confirmed' }).waitFor();
});

await check('the account page lists both browsers and signs the phone out', page, async () => {
  await logIn(phone, password);
  await accountPage(page);
  await page.locator('#sessions li', { hasText: 'Firefox on Android' }).waitFor();
  assert.equal(await page.locator('#sessions li').count(), 2);
  assert.match(await page.locator('#sessions').innerText(), /This browser/);
  assert.match(await page.locator('#sessions').innerText(), /last seen/);
  await shot(page, 'sessions-two-browsers');
  await page.locator('#sessions li', { hasText: 'Firefox on Android' }).locator('button.revoke').click();
  await page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 1);
  await shot(page, 'phone-signed-out');
  await signedOut(phone);
  await shot(phone, 'phone-sees-logged-out');
});

await check('changing the password signs the other browsers out', page, async () => {
  await logIn(phone, password);
  await accountPage(page);
  await page.locator('#sessions li', { hasText: 'Firefox on Android' }).waitFor();
  // A wrong current password gets a sentence, not a code.
  await page.fill('#password-form input[name=currentPassword]', 'not the password');
  await page.fill('#password-form input[name=newPassword]', 'violet lantern harbour');
  await page.locator('#password-form button[type=submit]').click();
  await page.locator('#password-form .form-error', { hasText: /incorrect/i }).waitFor();
  await page.fill('#password-form input[name=currentPassword]', password);
  await page.fill('#password-form input[name=newPassword]', 'violet lantern harbour');
  await page.locator('#password-form button[type=submit]').click();
  await page.locator('#password-form .ok', { hasText: '1 other session signed out' }).waitFor();
  password = 'violet lantern harbour';
  // The page reloads its session list after the answer; wait for that list
  // rather than reading the one drawn before the change.
  await page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 1);
  await shot(page, 'password-changed');
  await signedOut(phone);
});

await check('deleting the account removes it and says what is kept', page, async () => {
  await accountPage(page);
  await page.locator('#delete-form').waitFor();
  await page.fill('#delete-form input[name=password]', 'not the password');
  await page.locator('#delete-form input[name=confirm]').check();
  await page.locator('#delete-form button[type=submit]').click();
  await page.locator('#delete-form .form-error', { hasText: /incorrect/i }).waitFor();
  await shot(page, 'delete-wrong-password');
  await page.fill('#delete-form input[name=password]', password);
  await page.locator('#delete-form button[type=submit]').click();
  await page.locator('#account-deleted').waitFor();
  assert.match(await page.locator('#account-deleted').innerText(), /Nothing that identifies you/);
  await page.locator('#nav-login').waitFor({ state: 'visible' });
  await shot(page, 'account-deleted');
  await page.goto(`${BASE}#/login`);
  await page.fill('#login-form input[name=email]', email);
  await page.fill('#login-form input[name=password]', password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#login-form .form-error', { hasText: /incorrect/i }).waitFor();
  await shot(page, 'deleted-account-cannot-log-in');
});

await finish();
