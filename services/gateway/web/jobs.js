// CareerCenter for coders: search with filters (#/jobs), a posting page with
// Apply / Withdraw and Save (#/jobs/<id>), and "My jobs" (#/my-jobs: my
// applications and saved postings). Also the posting rendering that the
// employer's preview and the moderation console reuse, so all three show a
// posting the same way.
import { api, ensureCsrf } from './api.js';
import { esc, roles, toast } from './ui.js';

export const CREDENTIALS = ['CPC', 'CPC-A', 'COC', 'CIC', 'CRC', 'CCS', 'CCS-P', 'CCA', 'RHIT', 'RHIA', 'CPMA', 'CDIP'];
export const SETTINGS = {
  INPATIENT: 'Inpatient', OUTPATIENT: 'Outpatient', PRO_FEE: 'Pro fee', RISK_ADJUSTMENT: 'Risk adjustment',
  EMERGENCY: 'Emergency', AUDIT: 'Audit', CDI: 'CDI',
};
export const ARRANGEMENTS = { REMOTE: 'Remote', HYBRID: 'Hybrid', ON_SITE: 'On site' };
export const EMPLOYMENT = {
  FULL_TIME: 'Full time', PART_TIME: 'Part time', CONTRACT: 'Contract', TEMPORARY: 'Temporary', PER_DIEM: 'Per diem',
};
export const PAY_MODELS = { HOURLY: 'per hour', SALARY: 'per year', PER_CHART: 'per chart' };
export const STATUS = {
  POSTING_STATUS_DRAFT: 'Draft', POSTING_STATUS_PENDING_APPROVAL: 'Waiting for approval',
  POSTING_STATUS_PUBLISHED: 'Published', POSTING_STATUS_CLOSED: 'Closed', POSTING_STATUS_EXPIRED: 'Expired',
  POSTING_STATUS_REJECTED: 'Rejected',
};

// "WORK_ARRANGEMENT_ON_SITE" -> "On site" with the table above.
export const named = (table, value, prefix) => table[String(value || '').replace(prefix, '')] || '';
// Whole dollars without cents ($25), otherwise two digits ($32.50).
const money = (cents) => {
  const n = Number(cents) / 100;
  const digits = Number.isInteger(n) ? 0 : 2;
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
};
export function payText(p) {
  if (!p || (!Number(p.minCents) && !Number(p.maxCents))) return '';
  const unit = named(PAY_MODELS, p.model, 'PAY_MODEL_');
  const range = Number(p.minCents) && Number(p.maxCents) && p.minCents !== p.maxCents
    ? `${money(p.minCents)}–${money(p.maxCents)}` : money(Number(p.maxCents) || Number(p.minCents));
  return `${range} ${unit}`.trim();
}
export const day = (ts) => (ts ? new Date(ts).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' }) : '');
const where = (f) => [f.location?.city, f.location?.state].filter(Boolean).join(', ');

// The whole posting as a coder reads it.
export function postingHtml(p) {
  const f = p.fields || {};
  const line = (label, value) => (value ? `<dt>${label}</dt><dd>${esc(value)}</dd>` : '');
  return `
    <h1>${esc(f.title)}</h1>
    <p class="lead">${esc(f.organization)}${where(f) ? ` · ${esc(where(f))}` : ''}</p>
    <dl class="facts">
      ${line('Arrangement', named(ARRANGEMENTS, f.arrangement, 'WORK_ARRANGEMENT_'))}
      ${line('Remote from', (f.remoteStates || []).join(', '))}
      ${line('Employment', named(EMPLOYMENT, f.employmentType, 'EMPLOYMENT_TYPE_'))}
      ${line('Pay', payText(f.pay))}
      ${line('Credentials required', (f.credentialsRequired || []).join(', ') || 'none')}
      ${line('Credentials preferred', (f.credentialsPreferred || []).join(', '))}
      ${line('Apprentices', f.cpcAAccepted ? 'CPC-A welcome' : '')}
      ${line('Settings', (f.settings || []).map((s) => named(SETTINGS, s, 'CODING_SETTING_')).join(', '))}
      ${line('Specialties', (f.specialties || []).join(', '))}
      ${line('Experience', f.minYearsExperience ? `${f.minYearsExperience}+ years` : '')}
      ${line('Productivity', f.productivityTarget)}
      ${line('Accuracy', f.accuracyTargetPercent ? `${f.accuracyTargetPercent}%` : '')}
      ${line('Coding test', f.codingTestRequired ? 'Required' : '')}
      ${line('Closes', day(f.closesAt))}
      ${line('Posted', day(p.postedAt))}
    </dl>
    <pre class="description">${esc(f.description)}</pre>
    ${f.howToApply ? `<p><b>How to apply:</b> ${esc(f.howToApply)}</p>` : ''}`;
}

const signInFirst = (what) => `<section class="card empty"><p>${what}</p>
  <p><a class="button" href="#/login">Log in</a> <a href="#/register">Register</a></p></section>`;

// ------------------------------------------------------------------ search
export async function jobsView(view, params) {
  const r = roles();
  const opts = (table, selected) => Object.entries(table)
    .map(([k, v]) => `<option value="${k}" ${k === selected ? 'selected' : ''}>${v}</option>`).join('');
  view.innerHTML = `
    <section><h1>Coding jobs</h1>
      <p class="actions">
        ${r.includes('ROLE_EMPLOYER') ? '<a class="button" href="#/employer">Post and manage jobs</a>' : ''}
        ${r.includes('ROLE_CODER') ? '<a href="#/my-jobs">My applications and saved jobs</a>' : ''}
      </p>
      <form id="jobs-form" class="filters" role="search">
        <input name="query" type="search" placeholder="Keywords" aria-label="Keywords" value="${esc(params.get('query') || '')}">
        <select name="filters.arrangements" aria-label="Arrangement"><option value="">Any arrangement</option>${opts(ARRANGEMENTS)}</select>
        <input name="filters.states" placeholder="State (TX)" maxlength="2" size="9" aria-label="State">
        <select name="filters.credentials" aria-label="Credential"><option value="">Any credential</option>${CREDENTIALS.map((c) => `<option>${c}</option>`).join('')}</select>
        <select name="filters.settings" aria-label="Setting"><option value="">Any setting</option>${opts(SETTINGS)}</select>
        <input name="filters.specialties" placeholder="Specialty" size="12" aria-label="Specialty">
        <input name="minPay" type="number" min="0" step="1000" placeholder="Min $/year" size="10" aria-label="Minimum yearly pay in dollars">
        <select name="filters.posted_within_days" aria-label="Posted within"><option value="">Any time</option><option value="1">Last day</option><option value="7">Last week</option><option value="30">Last month</option></select>
        <label class="inline"><input type="checkbox" name="filters.cpc_a_accepted" value="true"> CPC-A welcome</label>
        <select name="sort" aria-label="Sort"><option value="">Best match</option><option value="NEWEST">Newest</option><option value="PAY">Highest pay</option></select>
        <button type="submit">Search</button>
      </form>
      <p id="jobs-count" class="muted" aria-live="polite"></p>
      <p id="jobs-error" class="form-error" role="alert"></p>
      <ul id="jobs-list" class="jobs"></ul></section>`;
  const form = view.querySelector('#jobs-form');
  const run = async () => {
    const query = Object.fromEntries([...new FormData(form).entries()].filter(([, v]) => v !== ''));
    if (query['filters.states']) query['filters.states'] = query['filters.states'].toUpperCase();
    if (query['filters.specialties']) query['filters.specialties'] = query['filters.specialties'].toLowerCase();
    if (query.minPay) query['filters.min_pay_cents_yearly'] = String(Math.round(Number(query.minPay) * 100));
    delete query.minPay;
    const count = view.querySelector('#jobs-count');
    const list = view.querySelector('#jobs-list');
    view.querySelector('#jobs-error').textContent = '';
    try {
      const res = await api('GET', '/api/v1/jobs', { query });
      const n = Number(res.totalCount || 0);
      count.textContent = n ? `${n} posting${n === 1 ? '' : 's'}` : '';
      list.innerHTML = (res.postings || []).map((p) => `
        <li class="card"><a href="#/jobs/${encodeURIComponent(p.postingId)}"><b>${esc(p.fields.title)}</b></a>
          <div>${esc(p.fields.organization)} · ${esc(named(ARRANGEMENTS, p.fields.arrangement, 'WORK_ARRANGEMENT_'))}
          ${where(p.fields) ? ` · ${esc(where(p.fields))}` : ''} · ${esc(named(EMPLOYMENT, p.fields.employmentType, 'EMPLOYMENT_TYPE_'))}</div>
          <div class="muted">${esc(payText(p.fields.pay))}${(p.fields.credentialsRequired || []).length ? ` · ${esc(p.fields.credentialsRequired.join(', '))}` : ''}</div></li>`).join('');
      if (!n) {
        list.innerHTML = `<li class="card empty">No postings match${Object.keys(query).length ? ' these filters' : ' yet'}.
          ${Object.keys(query).length ? 'Try fewer filters or other keywords.' : 'New postings appear here once they are published.'}</li>`;
      }
    } catch (e) {
      count.textContent = '';
      list.innerHTML = '';
      view.querySelector('#jobs-error').textContent = e.message;
    }
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
  run();
}

// What the signed-in coder has done with one posting: their application
// (if any) and whether it is saved.
async function coderState(id) {
  if (!roles().includes('ROLE_CODER')) return { application: null, saved: false };
  const [apps, saved] = await Promise.all([
    api('GET', '/api/v1/me/applications', { query: { pageSize: 100 } }),
    api('GET', '/api/v1/me/saved-jobs', { query: { pageSize: 100 } }),
  ]);
  return {
    application: (apps.applications || []).find((a) => a.postingId === id && a.status === 'APPLICATION_STATUS_SUBMITTED') || null,
    saved: (saved.postings || []).some((p) => p.postingId === id),
  };
}

// ------------------------------------------------------------- one posting
export async function jobView(view, id) {
  view.innerHTML = '<p class="muted">Loading…</p>';
  let p;
  try { p = (await api('GET', `/api/v1/jobs/${encodeURIComponent(id)}`)).posting; } catch (e) {
    view.innerHTML = `<section class="card error"><p>${esc(e.status === 404 ? 'This posting does not exist or is no longer open.' : e.message)}</p>
      <p><a href="#/jobs">Back to the jobs</a></p></section>`;
    return;
  }
  const r = roles();
  const open = p.status === 'POSTING_STATUS_PUBLISHED';
  view.innerHTML = `
    <article class="card" id="job-page">${postingHtml(p)}
      ${open ? '' : `<p class="warn">${esc(STATUS[p.status] || '')}: this posting takes no applications.</p>`}
      <div id="job-actions"></div></article>`;
  const actions = view.querySelector('#job-actions');
  const render = async () => {
    if (!r.length) { actions.innerHTML = open ? signInFirst('Log in with a coder account to apply or save this job.') : ''; return; }
    if (!r.includes('ROLE_CODER')) { actions.innerHTML = open ? '<p class="muted">Only coder accounts can apply.</p>' : ''; return; }
    let s;
    try { s = await coderState(id); } catch (e) { actions.innerHTML = `<p class="form-error">${esc(e.message)}</p>`; return; }
    const saveButton = `<button type="button" id="save-job">${s.saved ? 'Unsave' : 'Save'}</button>`;
    if (s.application) {
      actions.innerHTML = `<p class="ok" id="applied">You applied on ${esc(day(s.application.createdAt))}.</p>
        <p><button type="button" id="withdraw">Withdraw my application</button> ${saveButton}</p>`;
    } else if (open) {
      actions.innerHTML = `
        <form id="apply-form"><h2>Apply</h2>
          <label>Cover letter <textarea name="note" rows="5" maxlength="2000" placeholder="A few lines about your experience"></textarea></label>
          <label>Résumé link (https) <input name="resumeUrl" type="url" required placeholder="https://"></label>
          <button type="submit">Send application</button> ${saveButton}
          <p class="form-error" role="alert"></p>
        </form>`;
    } else {
      actions.innerHTML = `<p>${saveButton}</p>`;
    }
    actions.querySelector('#apply-form')?.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const form = ev.target;
      try {
        await ensureCsrf();
        const res = await api('POST', `/api/v1/jobs/${encodeURIComponent(id)}/apply`, { body: Object.fromEntries(new FormData(form)) });
        toast(res.existing ? 'You had already applied to this job.' : 'Application sent.');
        render();
      } catch (e) { form.querySelector('.form-error').textContent = e.message; }
    });
    actions.querySelector('#withdraw')?.addEventListener('click', async () => {
      try {
        await ensureCsrf();
        await api('DELETE', `/api/v1/me/applications/${encodeURIComponent(s.application.applicationId)}`);
        toast('Application withdrawn.');
        render();
      } catch (e) { toast(e.message); }
    });
    actions.querySelector('#save-job')?.addEventListener('click', async () => {
      try {
        await ensureCsrf();
        await api(s.saved ? 'DELETE' : 'POST', `/api/v1/jobs/${encodeURIComponent(id)}/save`, s.saved ? {} : { body: {} });
        toast(s.saved ? 'Removed from saved jobs.' : 'Saved. Find it under My jobs.');
        render();
      } catch (e) { toast(e.message); }
    });
  };
  render();
}

// ----------------------------------------------------------------- my jobs
export async function myJobsView(view) {
  if (!roles().includes('ROLE_CODER')) {
    view.innerHTML = signInFirst('Log in with a coder account to see your applications and saved jobs.');
    return;
  }
  view.innerHTML = `
    <section class="card"><h1>My applications</h1><ul id="my-applications" class="plain"><li class="muted">Loading…</li></ul></section>
    <section class="card"><h2>Saved jobs</h2><ul id="saved-jobs" class="plain"><li class="muted">Loading…</li></ul></section>`;
  const apps = view.querySelector('#my-applications');
  const saved = view.querySelector('#saved-jobs');
  const load = async () => {
    try {
      const [a, s] = await Promise.all([api('GET', '/api/v1/me/applications'), api('GET', '/api/v1/me/saved-jobs')]);
      apps.innerHTML = (a.applications || []).map((x) => `
        <li><a href="#/jobs/${encodeURIComponent(x.postingId)}">${esc(x.postingTitle || 'Posting')}</a>
          <span class="muted">applied ${esc(day(x.createdAt))}</span>
          ${x.status === 'APPLICATION_STATUS_WITHDRAWN' ? '<span class="badge">withdrawn</span>'
            : `<button type="button" data-withdraw="${esc(x.applicationId)}">Withdraw</button>`}</li>`).join('')
        || '<li class="empty">You have not applied to any job yet. <a href="#/jobs">Find one</a>.</li>';
      saved.innerHTML = (s.postings || []).map((p) => `
        <li><a href="#/jobs/${encodeURIComponent(p.postingId)}">${esc(p.fields.title)}</a>
          <span class="muted">${esc(p.fields.organization)}</span></li>`).join('')
        || '<li class="empty">No saved jobs. Use Save on a posting to keep it here.</li>';
    } catch (e) { apps.innerHTML = `<li class="form-error">${esc(e.message)}</li>`; }
  };
  apps.addEventListener('click', async (ev) => {
    const id = ev.target.dataset?.withdraw;
    if (!id) return;
    try {
      await ensureCsrf();
      await api('DELETE', `/api/v1/me/applications/${encodeURIComponent(id)}`);
      toast('Application withdrawn.');
      load();
    } catch (e) { toast(e.message); }
  });
  load();
}
