// CareerCenter end to end in a real browser, three people in three browser
// contexts (separate cookie jars): an employer posts a job with every field,
// an admin approves it in the moderation console, a coder finds it with
// filters and applies with a cover letter, the employer sees the applicant
// and marks them reviewed, then renews and closes the posting; the coder
// withdraws, then deletes their account, after which the employer sees only
// "The applicant deleted their account" (no cover letter).
// The admin is the suite's OE_ADMIN_EMAILS address (start_suite.sh); it
// registers and confirms its email with the token the account service
// mails to the aiosmtpd sink, then logs in again so its session carries
// the role. Screenshots of each step go to $OE_E2E_ARTIFACTS.
import assert from 'node:assert/strict';
import { BASE, check, finish, focus, mailedToken, newPage, shot } from './harness.mjs';

// start_suite.sh puts this address in the account service's OE_ADMIN_EMAILS.
const ADMIN_EMAIL = process.env.OE_E2E_ADMIN_EMAIL || 'e2e-admin@example.com';
console.log(`e2e jobs: ${BASE} (real services)`);

// Four people, each in a browser profile of their own.
const employer = await newPage();
const admin = await newPage();
const coder = await newPage();
const employer2 = await newPage();

const password = 'correct horse battery';
const stamp = Date.now();
const title = `Outpatient coder ${stamp}`;
const title2 = `Risk adjustment coder ${stamp}`;

// Opens a view afresh: goto alone does nothing when only the hash is the
// same as the current one, and the view would show what it loaded earlier.
async function open(page, hash) {
  await page.goto(`${BASE}${hash}`);
  await page.reload();
}

async function register(page, email, displayName, role) {
  await page.goto(`${BASE}#/register`);
  await page.fill('#register-form input[name=email]', email);
  await page.fill('#register-form input[name=displayName]', displayName);
  await page.fill('#register-form input[name=password]', password);
  await page.selectOption('#register-form select[name=role]', role);
  await page.locator('#register-form button[type=submit]').click();
  // Either the session shows the account or the form says why not; the
  // form's words make a failure here say what the person saw.
  const refused = page.locator('#register-form .form-error:not(:empty)');
  await page.locator('#logout').or(refused).first().waitFor({ state: 'visible' });
  if (await refused.isVisible()) {
    throw new Error(`registration refused: ${await refused.textContent()}`);
  }
}

await check('the admin registers, confirms the email from the mailed link and logs in again', admin, async () => {
  await register(admin, ADMIN_EMAIL, 'E2E Admin', 'ROLE_CODER');
  // The link's host is the account service's OE_ACCOUNT_VERIFY_URL, so the
  // token is opened on this gateway's verify-email.html.
  const token = await mailedToken(ADMIN_EMAIL);
  await admin.goto(`${BASE}verify-email.html?token=${encodeURIComponent(token)}`);
  await admin.locator('#verify-status').filter({ hasText: 'confirmed' }).waitFor();
  await shot(admin, 'admin-email-confirmed');
  // A fresh session, so the admin role is read after the verification.
  await admin.goto(BASE);
  await admin.locator('#logout').click();
  await admin.locator('#nav-login').waitFor({ state: 'visible' });
  await admin.goto(`${BASE}#/login`);
  await admin.fill('#login-form input[name=email]', ADMIN_EMAIL);
  await admin.fill('#login-form input[name=password]', password);
  await admin.locator('#login-form button[type=submit]').click();
  await admin.locator('#nav-admin').waitFor({ state: 'visible' });
});

await check('an employer registers and sees an empty postings page', employer, async () => {
  await register(employer, `e2e-employer-${stamp}@example.com`, 'Mercy Health HR', 'ROLE_EMPLOYER');
  await open(employer, '#/employer');
  await employer.locator('#my-postings .empty').waitFor();
  assert.match(await employer.locator('#my-postings').innerText(), /no postings yet/i);
  await shot(employer, 'employer-empty');
});

await check('the posting form names a missing field in words, not a field path', employer, async () => {
  await employer.locator('#new-posting').click();
  await employer.locator('#posting-form').waitFor();
  await employer.fill('input[name=title]', title);
  await employer.fill('input[name=organization]', 'Mercy Health');
  await employer.fill('textarea[name=description]', 'Code outpatient cardiology encounters with ICD-10-CM and CPT.\nTwo years of experience.');
  await employer.selectOption('select[name=arrangement]', 'WORK_ARRANGEMENT_HYBRID');
  await employer.fill('input[name=city]', 'Austin');
  await employer.fill('input[name=state]', 'tx');
  await employer.fill('input[name=zip]', '78701');
  await employer.fill('input[name=remoteStates]', 'TX, OK');
  await employer.locator('#posting-form button[type=submit]').click();
  const error = employer.locator('#posting-form .form-error');
  await error.filter({ hasText: /\S/ }).waitFor();
  const text = await error.innerText();
  assert.equal(text, 'Employment type is required.');
  assert.doesNotMatch(text, /fields\.|_/);
  await shot(employer, 'employer-form-error');
});

await check('the employer fills every field, saves a draft and sees the preview', employer, async () => {
  await employer.selectOption('select[name=employmentType]', 'EMPLOYMENT_TYPE_FULL_TIME');
  await employer.fill('input[name=minYearsExperience]', '2');
  await employer.selectOption('select[name=payModel]', 'PAY_MODEL_HOURLY');
  await employer.fill('input[name=payMin]', '25');
  await employer.fill('input[name=payMax]', '32.50');
  await employer.locator('input[name=credentialsRequired][value=CPC]').check();
  await employer.locator('input[name=credentialsPreferred][value=CCS]').check();
  await employer.locator('input[name=cpcAAccepted]').check();
  await employer.locator('input[name=settings][value=CODING_SETTING_OUTPATIENT]').check();
  await employer.locator('input[name=settings][value=CODING_SETTING_PRO_FEE]').check();
  await employer.fill('input[name=specialties]', 'Cardiology, orthopedics');
  await employer.fill('input[name=productivityTarget]', '25 charts/hour');
  await employer.fill('input[name=accuracyTargetPercent]', '95');
  await employer.locator('input[name=codingTestRequired]').check();
  await employer.fill('input[name=howToApply]', 'Apply here with a short cover letter.');
  const closes = new Date(Date.now() + 45 * 86400e3).toISOString().slice(0, 10);
  await employer.fill('input[name=closesAt]', closes);
  await shot(employer, 'employer-form-filled');
  await employer.locator('#posting-form button[type=submit]').click();
  await employer.locator('#preview').waitFor();
  const preview = await employer.locator('#preview').innerText();
  for (const want of [title, 'Hybrid', 'Full time', '$25–$32.50 per hour', 'CPC', 'CCS', 'CPC-A welcome',
    'Outpatient, Pro fee', 'cardiology, orthopedics', '2+ years', '25 charts/hour', '95%', 'Required', 'OK, TX']) {
    assert.ok(preview.includes(want), `preview shows "${want}":\n${preview}`);
  }
  await shot(employer, 'employer-preview');
});

await check('publishing a first posting sends it for approval', employer, async () => {
  await employer.locator('#publish').click();
  await employer.locator('#my-postings .posting').first().waitFor();
  assert.match(await employer.locator('#my-postings').innerText(), /Waiting for approval/);
  await shot(employer, 'employer-pending');
});

await check('the coder does not find the posting before approval', coder, async () => {
  await register(coder, `e2e-coder-${stamp}@example.com`, 'Casey Coder', 'ROLE_CODER');
  await coder.goto(`${BASE}#/jobs?query=${encodeURIComponent(String(stamp))}`);
  await coder.locator('#jobs-list .empty').waitFor();
  assert.match(await coder.locator('#jobs-list').innerText(), /No postings match/);
  await shot(coder, 'coder-nothing-yet');
});

await check('the admin sees exactly the submitted version and approves it', admin, async () => {
  await admin.locator('#nav-admin').click();
  const card = admin.locator('article.pending', { hasText: title });
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /Version \d+/);
  assert.ok(text.includes('Code outpatient cardiology encounters'), text);
  await shot(admin, 'admin-queue');
  await card.locator('button[data-approve=true]').click();
  await admin.locator('#toast', { hasText: 'Approved' }).waitFor();
  await admin.locator('article.pending', { hasText: title }).waitFor({ state: 'detached' });
  await shot(admin, 'admin-approved');
});

await check('the coder gets a sentence for a bad state filter', coder, async () => {
  await open(coder, '#/jobs');
  await coder.fill('#jobs-form input[name="filters.states"]', 'zz');
  await coder.locator('#jobs-form button[type=submit]').click();
  const error = coder.locator('#jobs-error');
  await error.filter({ hasText: /\S/ }).waitFor();
  const text = await error.innerText();
  assert.match(text, /two-letter US state code/);
  assert.doesNotMatch(text, /filters\./);
  await shot(coder, 'coder-bad-filter');
});

await check('the coder finds the posting with filters', coder, async () => {
  await coder.fill('#jobs-form input[name=query]', 'cardiology');
  await coder.fill('#jobs-form input[name="filters.states"]', 'tx');
  await coder.selectOption('#jobs-form select[name="filters.credentials"]', 'CPC');
  await coder.selectOption('#jobs-form select[name="filters.arrangements"]', 'HYBRID');
  await coder.locator('#jobs-form input[name="filters.cpc_a_accepted"]').check();
  await coder.locator('#jobs-form button[type=submit]').click();
  await coder.locator('#jobs-list a', { hasText: title }).waitFor();
  await shot(coder, 'coder-search');
});

await check('the coder applies once with a cover letter and saves the job', coder, async () => {
  await coder.locator('#jobs-list a', { hasText: title }).click();
  await coder.locator('#apply-form').waitFor();
  await shot(coder, 'coder-posting');
  await coder.fill('#apply-form textarea[name=note]', 'Four years of cardiology pro-fee coding, CPC since 2021.');
  await coder.fill('#apply-form input[name=resumeUrl]', 'https://example.com/casey-coder.pdf');
  await coder.locator('#apply-form button[type=submit]').click();
  await coder.locator('#applied').waitFor();
  assert.equal(await coder.locator('#apply-form').count(), 0, 'no second Apply once applied');
  await coder.locator('#save-job').click();
  await coder.locator('#save-job', { hasText: 'Unsave' }).waitFor();
  await shot(coder, 'coder-applied');
  await open(coder, '#/my-jobs');
  await coder.locator('#my-applications a', { hasText: title }).waitFor();
  await coder.locator('#saved-jobs a', { hasText: title }).waitFor();
  await shot(coder, 'coder-my-jobs');
});

await check('the employer sees the applicant with the cover letter and marks them reviewed', employer, async () => {
  await open(employer, '#/employer');
  const row = employer.locator('#my-postings .posting', { hasText: title });
  await row.locator('a', { hasText: 'Applicants (1)' }).click();
  const applicant = employer.locator('#applicants .applicant').first();
  await applicant.waitFor();
  assert.match(await applicant.innerText(), /Four years of cardiology pro-fee coding/);
  await shot(employer, 'employer-applicants');
  await applicant.locator('button', { hasText: 'Mark reviewed' }).click();
  await employer.locator('#applicants .badge', { hasText: 'reviewed' }).waitFor();
  await shot(employer, 'employer-applicant-reviewed');
});

await check('the employer renews and then closes the posting', employer, async () => {
  await open(employer, '#/employer');
  const row = employer.locator('#my-postings .posting', { hasText: title });
  await row.locator('button[data-act=renew]').click();
  await employer.locator('#toast', { hasText: 'Renewed until' }).waitFor();
  await employer.locator('#my-postings .posting', { hasText: title }).locator('button[data-act=close]').click();
  await employer.locator('#my-postings .posting', { hasText: title }).locator('.status', { hasText: 'Closed' }).waitFor();
  await shot(employer, 'employer-closed');
});

await check('the coder withdraws the application', coder, async () => {
  await open(coder, '#/my-jobs');
  await coder.locator('#my-applications button[data-withdraw]').first().click();
  await coder.locator('#my-applications .badge', { hasText: 'withdrawn' }).waitFor();
  await shot(coder, 'coder-withdrawn');
});

await check('the coder deletes their account and the employer sees only that they did', coder, async () => {
  await open(coder, '#/account');
  await coder.locator('#delete-form').waitFor();
  await coder.fill('#delete-form input[name=password]', password);
  await coder.locator('#delete-form input[name=confirm]').check();
  await coder.locator('#delete-form button[type=submit]').click();
  await coder.locator('#account-deleted').waitFor();
  await shot(coder, 'coder-deleted-account');

  // The account service delivers the erasure to jobs within seconds
  // (its outbox polls every second); the employer reloads until it shows.
  focus(employer);
  await open(employer, '#/employer');
  await employer.locator('#my-postings .posting', { hasText: title }).locator('a', { hasText: /Applicants/ }).click();
  const applicant = employer.locator('#applicants .applicant').first();
  for (let i = 0; i < 40; i++) {
    await applicant.waitFor();
    if (/deleted their account/.test(await applicant.innerText())) break;
    await employer.waitForTimeout(500);
    await employer.reload();
  }
  const text = await applicant.innerText();
  assert.match(text, /The applicant deleted their account/);
  assert.doesNotMatch(text, /cardiology/, 'the cover letter is gone');
  await shot(employer, 'employer-sees-deleted-applicant');
});

await check('an edit after the admin opened the queue is not what gets approved', employer2, async () => {
  await register(employer2, `e2e-employer2-${stamp}@example.com`, 'Quick Staffing', 'ROLE_EMPLOYER');
  await open(employer2, '#/employer/new');
  await employer2.fill('input[name=title]', title2);
  await employer2.fill('input[name=organization]', 'Quick Staffing');
  await employer2.fill('textarea[name=description]', 'Remote risk adjustment coding.');
  await employer2.selectOption('select[name=employmentType]', 'EMPLOYMENT_TYPE_CONTRACT');
  await employer2.selectOption('select[name=arrangement]', 'WORK_ARRANGEMENT_REMOTE');
  await employer2.locator('#posting-form button[type=submit]').click();
  await employer2.locator('#publish').click();
  await employer2.locator('#my-postings .posting', { hasText: title2 }).waitFor();

  focus(admin);
  await open(admin, '#/admin');
  const card = admin.locator('article.pending', { hasText: title2 });
  await card.waitFor();
  const opened = await card.getAttribute('data-version');

  // The employer edits the pending posting while the admin reads it.
  focus(employer2);
  await employer2.locator('#my-postings .posting', { hasText: title2 }).locator('a', { hasText: 'Edit' }).click();
  await employer2.locator('#posting-form').waitFor();
  await employer2.fill('textarea[name=description]', 'Remote risk adjustment coding. Pay in gift cards.');
  await employer2.locator('#posting-form button[type=submit]').click();
  await employer2.locator('#preview').waitFor();

  focus(admin);
  await card.locator('button[data-approve=true]').click();
  await admin.locator('#toast', { hasText: 'changed this posting after you opened it' }).waitFor();
  const reloaded = admin.locator('article.pending', { hasText: title2 });
  await reloaded.filter({ hasText: 'gift cards' }).waitFor();
  assert.notEqual(await reloaded.getAttribute('data-version'), opened, 'the console shows the new version');
  await shot(admin, 'admin-stale-version-refused');
  await reloaded.locator('button[data-approve=false]').click();
  await reloaded.locator('.form-error', { hasText: 'Say why' }).waitFor();
  await reloaded.locator('textarea[name=note]').fill('Pay must be in money; gift cards are not allowed.');
  await reloaded.locator('button[data-approve=false]').click();
  await admin.locator('#toast', { hasText: 'Rejected' }).waitFor();

  focus(employer2);
  await open(employer2, '#/employer');
  const row = employer2.locator('#my-postings .posting', { hasText: title2 });
  await row.locator('.review-note', { hasText: 'gift cards are not allowed' }).waitFor();
  assert.match(await row.innerText(), /Rejected/);
  await shot(employer2, 'employer-rejected-with-reason');
});

await finish();
