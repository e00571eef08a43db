// The job board: search with filters, a posting page with Apply, and the
// employer's page to create and publish postings.
import { api, ensureCsrf } from './api.js';
import { esc, state, toast } from './app.js';

const label = (v, prefix) => String(v || '').replace(prefix, '').toLowerCase().replace(/_/g, ' ');
const money = (cents) => (cents && cents !== '0' ? `$${(Number(cents) / 100).toLocaleString()}` : '');
const pay = (p) => (p && (p.minCents !== '0' || p.maxCents !== '0')
  ? `${money(p.minCents)}–${money(p.maxCents)} ${label(p.model, 'PAY_MODEL_')}` : '');

export async function jobsView(view, params) {
  const roles = state.session?.session?.roles || [];
  view.innerHTML = `
    <section><h1>Coding jobs</h1>
      ${roles.includes('ROLE_EMPLOYER') ? '<p><a class="button" href="#/employer">Post a job</a></p>' : ''}
      <form id="jobs-form" class="filters">
        <input name="query" type="search" placeholder="Keywords" aria-label="Keywords" value="${esc(params.get('query') || '')}">
        <select name="filters.arrangements" aria-label="Arrangement"><option value="">Any arrangement</option>
          <option value="REMOTE">Remote</option><option value="HYBRID">Hybrid</option><option value="ON_SITE">On site</option></select>
        <input name="filters.states" placeholder="State (TX)" maxlength="2" aria-label="State">
        <input name="filters.credentials" placeholder="Credential (CPC)" aria-label="Credential">
        <label class="inline"><input type="checkbox" name="filters.cpc_a_accepted" value="true"> CPC-A welcome</label>
        <select name="sort" aria-label="Sort"><option value="">Best match</option><option value="NEWEST">Newest</option><option value="PAY">Highest pay</option></select>
        <button type="submit">Search</button>
      </form>
      <p id="jobs-count" class="muted"></p>
      <ul id="jobs-list" class="jobs"></ul></section>`;
  const form = view.querySelector('#jobs-form');
  const run = async () => {
    const query = Object.fromEntries([...new FormData(form).entries()].filter(([, v]) => v !== ''));
    if (query['filters.states']) query['filters.states'] = query['filters.states'].toUpperCase();
    try {
      const r = await api('GET', '/api/v1/jobs', { query });
      view.querySelector('#jobs-count').textContent = `${r.totalCount} posting(s)`;
      view.querySelector('#jobs-list').innerHTML = r.postings.map((p) => `
        <li class="card"><a href="#/jobs/${encodeURIComponent(p.postingId)}"><b>${esc(p.fields.title)}</b></a>
          <div>${esc(p.fields.organization)} · ${esc(label(p.fields.arrangement, 'WORK_ARRANGEMENT_'))}
          ${p.fields.location?.state ? ` · ${esc(p.fields.location.city)} ${esc(p.fields.location.state)}` : ''}</div>
          <div class="muted">${esc(pay(p.fields.pay))}</div></li>`).join('');
    } catch (e) { view.querySelector('#jobs-count').textContent = e.message; }
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
  run();
}

export async function jobView(view, id) {
  view.innerHTML = '<p class="muted">Loading…</p>';
  let p;
  try { p = (await api('GET', `/api/v1/jobs/${encodeURIComponent(id)}`)).posting; } catch (e) {
    view.innerHTML = `<section class="card error"><p>${esc(e.message)}</p></section>`; return;
  }
  const f = p.fields;
  view.innerHTML = `
    <article class="card" id="job-page"><h1>${esc(f.title)}</h1>
      <p>${esc(f.organization)} · ${esc(label(f.arrangement, 'WORK_ARRANGEMENT_'))} · ${esc(label(f.employmentType, 'EMPLOYMENT_TYPE_'))}</p>
      <p class="muted">${esc(pay(f.pay))}</p>
      <p>Credentials: ${esc((f.credentialsRequired || []).join(', ') || 'none required')}${f.cpcAAccepted ? ' · CPC-A welcome' : ''}</p>
      <p>Settings: ${esc((f.settings || []).map((s) => label(s, 'CODING_SETTING_')).join(', '))}</p>
      <pre class="description">${esc(f.description)}</pre>
      <p>${esc(f.howToApply)}</p>
      <form id="apply-form">
        <label>Note to the employer <textarea name="note" rows="3" maxlength="2000"></textarea></label>
        <label>Résumé link (https) <input name="resumeUrl" type="url"></label>
        <button type="submit">Apply</button> <button type="button" id="save-job">Save</button>
        <p class="form-error" role="alert"></p>
      </form></article>`;
  const form = view.querySelector('#apply-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await ensureCsrf();
      const r = await api('POST', `/api/v1/jobs/${encodeURIComponent(id)}/apply`, { body: Object.fromEntries(new FormData(form)) });
      toast(r.existing ? 'You had already applied.' : 'Application sent.');
    } catch (e) { form.querySelector('.form-error').textContent = e.message; }
  });
  view.querySelector('#save-job').addEventListener('click', async () => {
    try { await ensureCsrf(); await api('POST', `/api/v1/jobs/${encodeURIComponent(id)}/save`, { body: {} }); toast('Saved.'); } catch (e) { toast(e.message); }
  });
}

export async function employerView(view) {
  view.innerHTML = `
    <section class="card"><h1>Post a job</h1>
      <form id="posting-form">
        <label>Title <input name="title" required maxlength="120"></label>
        <label>Organization <input name="organization" required maxlength="120"></label>
        <label>Description <textarea name="description" rows="5" required></textarea></label>
        <label>Arrangement <select name="arrangement"><option value="WORK_ARRANGEMENT_REMOTE">Remote</option><option value="WORK_ARRANGEMENT_HYBRID">Hybrid</option><option value="WORK_ARRANGEMENT_ON_SITE">On site</option></select></label>
        <label>City <input name="city"></label> <label>State <input name="state" maxlength="2"></label>
        <label>Credentials required (comma separated) <input name="credentials" placeholder="CPC, CCS"></label>
        <label>How to apply <input name="howToApply"></label>
        <button type="submit">Create draft</button>
        <p class="form-error" role="alert"></p>
      </form></section>
    <section class="card"><h2>My postings</h2><ul id="my-postings"></ul></section>`;
  const list = view.querySelector('#my-postings');
  const load = async () => {
    try {
      const r = await api('GET', '/api/v1/me/postings');
      list.innerHTML = r.postings.map((p) => `<li><a href="#/jobs/${encodeURIComponent(p.postingId)}">${esc(p.fields.title)}</a>
        <span class="muted">${esc(label(p.status, 'POSTING_STATUS_'))}</span>
        ${p.status === 'POSTING_STATUS_DRAFT' ? `<button type="button" data-publish="${esc(p.postingId)}">Publish</button>` : ''}</li>`).join('');
    } catch (e) { list.innerHTML = `<li>${esc(e.message)}</li>`; }
  };
  list.addEventListener('click', async (ev) => {
    const id = ev.target.dataset?.publish;
    if (!id) return;
    try { await ensureCsrf(); await api('POST', `/api/v1/postings/${encodeURIComponent(id)}/publish`, { body: {} }); load(); } catch (e) { toast(e.message); }
  });
  const form = view.querySelector('#posting-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = Object.fromEntries(new FormData(form));
    const fields = {
      title: v.title, organization: v.organization, description: v.description, arrangement: v.arrangement,
      location: { city: v.city, state: v.state.toUpperCase() }, howToApply: v.howToApply,
      credentialsRequired: v.credentials.split(',').map((s) => s.trim()).filter(Boolean),
    };
    try { await ensureCsrf(); await api('POST', '/api/v1/postings', { body: { fields } }); form.reset(); load(); } catch (e) { form.querySelector('.form-error').textContent = e.message; }
  });
  load();
}
