// CaseConsultant end to end in a real browser, against the real suite
// (start_suite.sh: Redis, the account, catalogue, search and assistant
// servers, the gateway, the aiosmtpd sink). Three people in three browser
// contexts: a guest is asked to register; a member confirms the email and
// asks a certified coder on the web form; a consultant (the role granted by
// scripts/oe-admin, as an operator does) claims and answers it in the
// console; the member sees the answer under "My questions", and the SMTP
// sink holds exactly one answer mail. A coder cannot open the queue, and
// the chat's "I don't know" names the CaseConsultant address and links the
// form. A screenshot per step goes to $OE_E2E_ARTIFACTS.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, check, finish, newPage, shot } from './harness.mjs';

const MAIL_DIR = process.env.OE_E2E_MAILDIR;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
assert.ok(MAIL_DIR, 'run through run_e2e.sh: OE_E2E_MAILDIR');
assert.ok(process.env.OE_ACCOUNT_OPERATOR_TOKEN, 'start_suite.sh hands over the operator token');
console.log(`e2e consult: ${BASE} (real services)`);

// Three people, each in a browser profile of their own.
const guest = await newPage();
const member = await newPage();
const consultant = await newPage();

const password = 'correct horse battery';
const stamp = Date.now();
const memberEmail = `e2e-asker-${stamp}@example.com`;
const consultantEmail = `e2e-consultant-${stamp}@example.com`;
const subject = `Modifier 25 with a preventive visit ${stamp}`;
const answerText = 'Yes: append modifier 25 to 99214 when the problem-oriented work is significant and separately identifiable.';

// Opens a view afresh (the same hash twice would not reload it).
async function open(page, hash) {
  await page.goto(`${BASE}${hash}`);
  await page.reload();
}

const mails = () => readdirSync(MAIL_DIR).filter((n) => n.endsWith('.eml'))
  .map((f) => readFileSync(join(MAIL_DIR, f), 'utf8'));
const header = (raw, name) => (raw.split(/\r?\n\r?\n/)[0].match(new RegExp(`^${name}:\\s*(.*)$`, 'im')) || [])[1] || '';
async function waitFor(what, fn) {
  for (let i = 0; i < 150; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Registers, opens the mailed verification link and signs in again so the
// session reads the verified address (and any role granted meanwhile).
async function confirmedMember(page, email, displayName, beforeLogin = () => {}) {
  await page.goto(`${BASE}#/register`);
  await page.fill('#register-form input[name=email]', email);
  await page.fill('#register-form input[name=displayName]', displayName);
  await page.fill('#register-form input[name=password]', password);
  await page.locator('#register-form button[type=submit]').click();
  await page.locator('#logout').waitFor({ state: 'visible' });
  const token = await waitFor(`the verification mail to ${email}`, () => {
    for (const text of mails()) {
      const m = text.match(/verify-email\.html\?token=([A-Za-z0-9._~-]+)/);
      if (m && text.toLowerCase().includes(email.toLowerCase())) return m[1];
    }
    return '';
  });
  await page.goto(`${BASE}verify-email.html?token=${encodeURIComponent(token)}`);
  await page.locator('#verify-status').filter({ hasText: 'confirmed' }).waitFor();
  await beforeLogin();
  await page.goto(BASE);
  await page.locator('#logout').click();
  await page.locator('#nav-login').waitFor({ state: 'visible' });
  await page.goto(`${BASE}#/login`);
  await page.fill('#login-form input[name=email]', email);
  await page.fill('#login-form input[name=password]', password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#logout').waitFor({ state: 'visible' });
}

await check('a guest opening "Ask a coder" is asked to register', guest, async () => {
  await guest.goto(BASE);
  await guest.locator('nav a[href="#/consult"]').click();
  await guest.locator('#consult-guest').waitFor();
  assert.match(await guest.locator('#consult-guest').innerText(), /Register or log in to ask/);
  assert.equal(await guest.locator('#consult-form').count(), 0);
  await shot(guest, 'guest-asked-to-register');
});

await check('the chat\'s "I don\'t know" names the CaseConsultant address and links the form', guest, async () => {
  await open(guest, '#/chat');
  await guest.fill('#chat-q', 'xyzzy plugh frobnicate quux');
  await guest.locator('#chat-form button[type=submit]').click();
  const link = guest.locator('#chat-log a.consult-link');
  await link.waitFor();
  assert.match(await guest.locator('#chat-log').innerText(), /consultant@openencoder\.local/);
  await shot(guest, 'chat-offers-caseconsultant');
  await link.click();
  await guest.locator('#consult-guest').waitFor();
});

await check('a member confirms the email and sees an empty "My questions"', member, async () => {
  await confirmedMember(member, memberEmail, 'Ann Asker');
  await open(member, '#/consult');
  await member.locator('#my-questions-empty').waitFor();
  assert.match(await member.locator('#consult-address').innerText(), /consultant@openencoder\.local/);
  await shot(member, 'member-empty-questions');
});

await check('the member asks a certified coder on the web form', member, async () => {
  await member.fill('#consult-form input[name=subject]', subject);
  await member.fill('#consult-form input[name=code]', '99214');
  await member.fill('#consult-question', 'Can 99214 and 99396 be billed on the same day?\nThe patient raised a new problem.');
  await member.locator('#consult-form button[type=submit]').click();
  const ticket = member.locator('#my-questions .ticket', { hasText: subject });
  await ticket.waitFor();
  assert.match(await ticket.innerText(), /Waiting for a certified coder/);
  assert.equal(await member.locator('#consult-question').inputValue(), '', 'the form is cleared');
  await shot(member, 'member-question-waiting');
});

await check('a coder cannot open the consultant queue', member, async () => {
  assert.equal(await member.locator('#nav-consultant').isVisible(), false);
  await open(member, '#/consultant');
  await member.locator('#consultant-denied').waitFor();
  const r = await member.evaluate(async () => (await fetch('/api/v1/consult/tickets')).status);
  assert.equal(r, 403);
  await shot(member, 'coder-denied-queue');
});

await check('an operator makes a confirmed account a consultant, who sees the queue', consultant, async () => {
  await confirmedMember(consultant, consultantEmail, 'Cora Consultant', async () => {
    execFileSync('/usr/bin/python3', [join(ROOT, 'scripts/oe-admin'), 'grant-role', consultantEmail, 'consultant'],
      { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  });
  await consultant.locator('#nav-consultant').waitFor({ state: 'visible' });
  await consultant.locator('#nav-consultant').click();
  const card = consultant.locator('#queue .ticket', { hasText: subject });
  await card.waitFor();
  assert.match(await card.innerText(), new RegExp(`From ${memberEmail.replace(/[.]/g, '\\.')}`));
  assert.match(await card.innerText(), /web form/);
  await shot(consultant, 'consultant-queue');
});

await check('the consultant claims the question and answers it', consultant, async () => {
  await consultant.locator('#queue .ticket', { hasText: subject }).locator('button.claim').click();
  const card = consultant.locator('#queue .ticket', { hasText: subject });
  await card.locator('.answer-form').waitFor();
  assert.equal(await consultant.locator('.tabs button[aria-pressed=true]').innerText(), 'Claimed');
  await shot(consultant, 'consultant-claimed');
  await card.locator('textarea[name=answer]').fill(answerText);
  await card.locator('.answer-form button[type=submit]').click();
  await consultant.locator('#queue-empty').waitFor();
  await shot(consultant, 'consultant-answered');
  await consultant.locator('.tabs button[data-status=TICKET_STATUS_SENT]').click();
  await consultant.locator('#queue .ticket', { hasText: subject }).waitFor();
  assert.match(await consultant.locator('#queue .ticket', { hasText: subject }).innerText(), /modifier 25 to 99214/);
  await shot(consultant, 'consultant-sent');
});

await check('the member sees the answer under "My questions"', member, async () => {
  const ticket = member.locator('#my-questions .ticket', { hasText: subject });
  for (let i = 0; i < 50; i++) {
    await open(member, '#/consult');
    await ticket.waitFor();
    if (/Answered and mailed/.test(await ticket.innerText())) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const text = await ticket.innerText();
  assert.match(text, /Answered and mailed/);
  assert.match(text, /modifier 25 to 99214/);
  assert.doesNotMatch(text, new RegExp(consultantEmail.replace(/[.]/g, '\\.')));
  await shot(member, 'member-sees-answer');
});

await check('the SMTP sink received exactly one answer mail', member, async () => {
  const answers = () => mails().filter((raw) => header(raw, 'To').includes(memberEmail) && /^Re:/.test(header(raw, 'Subject')));
  await waitFor('the answer mail', () => answers().length >= 1);
  // The member's "Answered and mailed" came after the relay accepted it;
  // any second copy would already be here.
  const got = answers();
  assert.equal(got.length, 1, `answer mails: ${got.length}`);
  assert.equal(header(got[0], 'Subject'), `Re: ${subject}`);
  assert.match(got[0], /modifier 25 to 99214/);
});

await finish();
