// Password reset, as a person who forgot the password uses it: "Forgot your
// password?" on the login form, the address, the mailed link, a new
// password; the link works once, the old password and the other browser's
// session stop working, the new password signs in.
import assert from 'node:assert/strict';
import { BASE, check, finish, mailsTo, newPage, registerAndConfirm, shot } from './harness.mjs';

const page = await newPage();
const other = await newPage();
const email = `reset-${Date.now()}@example.com`;
const oldPassword = 'amber kettle meadow';
const newPassword = 'copper lighthouse dawn';

async function logIn(p, pw) {
  await p.goto(`${BASE}#/login`);
  await p.reload();
  await p.fill('#login-form input[name=email]', email);
  await p.fill('#login-form input[name=password]', pw);
  await p.locator('#login-form button[type=submit]').click();
}

// The reset token of the newest reset mail to `email`.
async function mailedResetToken() {
  for (let i = 0; i < 100; i++) {
    const mails = mailsTo(email, 'reset-password.html?token=');
    if (mails.length > 0) {
      return mails.at(-1).match(/reset-password\.html\?token=([A-Za-z0-9._~-]+)/)[1];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no password reset mail to ${email}`);
}

await check('a member asks for a reset link from the login form', page, async () => {
  await registerAndConfirm(page, email, oldPassword, 'Forgetful Coder');
  await logIn(other, oldPassword);
  await other.locator('#logout').waitFor({ state: 'visible' });
  await page.goto(`${BASE}#/`);  // back from the confirmation page
  await page.locator('#logout').click();
  await page.locator('#nav-login').waitFor({ state: 'visible' });
  await page.goto(`${BASE}#/login`);
  await page.locator('a', { hasText: 'Forgot your password?' }).click();
  await page.locator('#request-form').waitFor({ state: 'visible' });
  await page.fill('#request-form input[name=email]', email);
  await shot(page, 'reset-request');
  await page.locator('#request-form button[type=submit]').click();
  await page.locator('#reset-status', { hasText: 'a link is on its way' }).waitFor();
  await shot(page, 'reset-requested');
});

await check('the mailed link sets a new password once and signs every session out', page, async () => {
  const token = await mailedResetToken();
  await page.goto(`${BASE}reset-password.html?token=${token}`);
  await page.locator('#reset-form').waitFor({ state: 'visible' });
  assert.ok(!page.url().includes(token), 'the token leaves the address bar');
  await page.fill('#reset-form input[name=newPassword]', newPassword);
  await page.locator('#reset-form button[type=submit]').click();
  await page.locator('#reset-status', { hasText: 'Your password is changed' }).waitFor();
  await shot(page, 'reset-done');
  // The same link again is refused with a sentence.
  await page.goto(`${BASE}reset-password.html?token=${token}`);
  await page.fill('#reset-form input[name=newPassword]', 'another password entirely');
  await page.locator('#reset-form button[type=submit]').click();
  await page.locator('#reset-status', { hasText: 'already used' }).waitFor();
  await shot(page, 'reset-link-used');
  // The other browser was signed out.
  await other.goto(`${BASE}#/`);
  await other.reload();
  await other.locator('#nav-login').waitFor({ state: 'visible' });
});

await check('the old password is refused and the new one signs in', page, async () => {
  await logIn(page, oldPassword);
  await page.locator('#login-form .form-error:not(:empty)').waitFor();
  await shot(page, 'old-password-refused');
  await logIn(page, newPassword);
  await page.locator('#logout').waitFor({ state: 'visible' });
  await shot(page, 'new-password-signed-in');
});

await finish();
