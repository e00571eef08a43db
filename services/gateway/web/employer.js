// CareerCenter for employers (#/employer...): my postings with what each
// state allows (edit, preview, publish, close, renew), the posting form with
// every field of jobs.v1.PostingFields, the preview coders will see, and the
// applicants of a posting with their cover letters and a "reviewed" mark.
//   #/employer                    my postings
//   #/employer/new                a new draft
//   #/employer/edit/<id>          edit (guarded by the version read)
//   #/employer/preview/<id>       as coders will see it, with Publish
//   #/employer/applicants/<id>    applicants
import { api, ensureCsrf } from './api.js';
import {
  ARRANGEMENTS, CREDENTIALS, EMPLOYMENT, PAY_MODELS, SETTINGS, STATUS, day, named, postingHtml,
} from './jobs.js';
import { esc, roles, toast } from './ui.js';

const enc = encodeURIComponent;

export async function employerView(view, parts) {
  const r = roles();
  if (!r.includes('ROLE_EMPLOYER') && !r.includes('ROLE_ADMIN')) {
    view.innerHTML = `<section class="card empty"><h1>Post a job</h1>
      <p>Posting jobs needs an employer account.</p>
      <p><a class="button" href="#/register">Register as an employer</a> or <a href="#/login">log in</a>.</p></section>`;
    return;
  }
  const [what, id] = parts;
  if (what === 'new') return formView(view, null);
  if (what === 'edit' && id) return formView(view, id);
  if (what === 'preview' && id) return previewView(view, id);
  if (what === 'applicants' && id) return applicantsView(view, id);
  return dashboardView(view);
}

// POST/PUT helper: primes the CSRF cookie first.
async function send(method, path, body = {}) {
  await ensureCsrf();
  return api(method, path, { body });
}

// ------------------------------------------------------------ my postings
function actionsFor(p) {
  const id = esc(p.postingId);
  const b = (act, text) => `<button type="button" data-act="${act}" data-id="${id}">${text}</button>`;
  const a = (href, text) => `<a href="${href}">${text}</a>`;
  const edit = a(`#/employer/edit/${enc(p.postingId)}`, 'Edit');
  const preview = a(`#/employer/preview/${enc(p.postingId)}`, 'Preview');
  const applicants = a(`#/employer/applicants/${enc(p.postingId)}`, `Applicants (${p.applicantCount || 0})`);
  switch (p.status) {
    case 'POSTING_STATUS_DRAFT': return [edit, preview, b('publish', 'Publish')];
    case 'POSTING_STATUS_PENDING_APPROVAL': return [edit, preview];
    case 'POSTING_STATUS_REJECTED': return [edit, preview, b('publish', 'Submit again')];
    case 'POSTING_STATUS_PUBLISHED': return [edit, a(`#/jobs/${enc(p.postingId)}`, 'View'), applicants, b('renew', 'Renew 30 days'), b('close', 'Close')];
    case 'POSTING_STATUS_EXPIRED': return [applicants, b('renew', 'Renew 30 days'), b('close', 'Close')];
    default: return [applicants];
  }
}

async function dashboardView(view) {
  view.innerHTML = `
    <section class="card"><h1>My postings</h1>
      <p><a class="button" id="new-posting" href="#/employer/new">New posting</a></p>
      <ul id="my-postings" class="plain"><li class="muted">Loading…</li></ul></section>`;
  const list = view.querySelector('#my-postings');
  const load = async () => {
    try {
      const res = await api('GET', '/api/v1/me/postings', { query: { pageSize: 100 } });
      list.innerHTML = (res.postings || []).map((p) => `
        <li class="posting" data-posting="${esc(p.postingId)}">
          <b>${esc(p.fields.title)}</b> <span class="badge status">${esc(STATUS[p.status] || '')}</span>
          <span class="muted">${p.fields.closesAt && p.status === 'POSTING_STATUS_PUBLISHED' ? `closes ${esc(day(p.fields.closesAt))}` : ''}</span>
          ${p.status === 'POSTING_STATUS_PENDING_APPROVAL' ? '<p class="muted">An administrator reviews first postings before they go live.</p>' : ''}
          ${p.status === 'POSTING_STATUS_REJECTED' ? `<p class="warn review-note">Not approved. The administrator wrote: “${esc(p.reviewNote || 'no reason given')}”</p>
            <p class="muted">Edit the posting and submit it again.</p>` : ''}
          <div class="actions">${actionsFor(p).join(' ')}</div></li>`).join('')
        || '<li class="empty">You have no postings yet. Create one with “New posting”; it stays a draft until you publish it.</li>';
    } catch (e) { list.innerHTML = `<li class="form-error">${esc(e.message)}</li>`; }
  };
  list.addEventListener('click', async (ev) => {
    const { act, id } = ev.target.dataset || {};
    if (!act) return;
    try {
      const res = await send('POST', `/api/v1/postings/${enc(id)}/${act}`);
      const s = res.posting?.status;
      toast(act === 'publish' ? (s === 'POSTING_STATUS_PENDING_APPROVAL'
        ? 'Submitted for approval. It goes live once an administrator approves it.' : 'Published.')
        : act === 'close' ? 'Closed: it no longer takes applications.' : `Renewed until ${day(res.posting?.fields?.closesAt)}.`);
      load();
    } catch (e) { toast(e.message); }
  });
  load();
}

// ------------------------------------------------------------------ form
const checks = (name, table, chosen, prefix = '') => Object.entries(table).map(([k, v]) => `
  <label class="inline"><input type="checkbox" name="${name}" value="${prefix}${k}" ${chosen.includes(`${prefix}${k}`) ? 'checked' : ''}> ${esc(v)}</label>`).join('');
const asTable = (list) => Object.fromEntries(list.map((c) => [c, c]));
const dollars = (cents) => (Number(cents) ? String(Number(cents) / 100) : '');
const dateInput = (ts) => (ts ? new Date(ts).toISOString().slice(0, 10) : '');
const list = (s) => String(s || '').split(',').map((x) => x.trim()).filter(Boolean);

function fieldsFrom(form) {
  const fd = new FormData(form);
  const v = (k) => String(fd.get(k) || '').trim();
  const cents = (k) => (v(k) ? String(Math.round(Number(v(k)) * 100)) : '0');
  const fields = {
    title: v('title'), organization: v('organization'), description: v('description'),
    location: { city: v('city'), state: v('state').toUpperCase(), zip: v('zip') },
    arrangement: v('arrangement'),
    remoteStates: v('arrangement') === 'WORK_ARRANGEMENT_ON_SITE' ? [] : list(v('remoteStates').toUpperCase()),
    employmentType: v('employmentType'),
    credentialsRequired: fd.getAll('credentialsRequired'),
    credentialsPreferred: fd.getAll('credentialsPreferred'),
    cpcAAccepted: fd.get('cpcAAccepted') === 'on',
    settings: fd.getAll('settings'),
    specialties: list(v('specialties').toLowerCase()),
    minYearsExperience: Number(v('minYearsExperience') || 0),
    pay: { model: v('payModel') || 'PAY_MODEL_UNSPECIFIED', minCents: cents('payMin'), maxCents: cents('payMax') },
    productivityTarget: v('productivityTarget'),
    accuracyTargetPercent: Number(v('accuracyTargetPercent') || 0),
    codingTestRequired: fd.get('codingTestRequired') === 'on',
    howToApply: v('howToApply'),
  };
  // An unchosen select is left out, so the service says what is missing
  // (an empty string is not a value of the enum and would not parse).
  for (const k of ['arrangement', 'employmentType']) if (!fields[k]) delete fields[k];
  // End of the chosen day, UTC: "closes on the 31st" includes the 31st.
  if (v('closesAt')) fields.closesAt = `${v('closesAt')}T23:59:59Z`;
  return fields;
}

async function formView(view, id) {
  let p = null;
  if (id) {
    try { p = (await api('GET', `/api/v1/jobs/${enc(id)}`)).posting; } catch (e) {
      view.innerHTML = `<section class="card error"><p>${esc(e.message)}</p><p><a href="#/employer">Back to my postings</a></p></section>`;
      return;
    }
  }
  const f = p?.fields || {};
  const sel = (table, prefix, value, none) => `${none ? `<option value="">${none}</option>` : ''}${Object.entries(table)
    .map(([k, t]) => `<option value="${prefix}${k}" ${value === prefix + k ? 'selected' : ''}>${esc(t)}</option>`).join('')}`;
  view.innerHTML = `
    <section class="card"><h1>${p ? 'Edit posting' : 'New posting'}</h1>
      ${p ? `<p class="muted">${esc(STATUS[p.status] || '')} · version ${esc(p.version)}</p>` : ''}
      <form id="posting-form" novalidate>
        <fieldset><legend>The job</legend>
          <label>Title <input name="title" required maxlength="120" value="${esc(f.title)}"></label>
          <label>Organization <input name="organization" required maxlength="120" value="${esc(f.organization)}"></label>
          <label>Description <textarea name="description" rows="8" required maxlength="10000">${esc(f.description)}</textarea></label>
          <label>Employment type <select name="employmentType" required>${sel(EMPLOYMENT, 'EMPLOYMENT_TYPE_', f.employmentType, 'Choose…')}</select></label>
          <label>Minimum years of experience <input name="minYearsExperience" type="number" min="0" max="50" value="${esc(f.minYearsExperience || '')}"></label>
        </fieldset>
        <fieldset><legend>Where</legend>
          <label>Arrangement <select name="arrangement" required>${sel(ARRANGEMENTS, 'WORK_ARRANGEMENT_', f.arrangement, 'Choose…')}</select></label>
          <div class="row">
            <label>City <input name="city" maxlength="80" value="${esc(f.location?.city)}"></label>
            <label>State <input name="state" maxlength="2" size="3" placeholder="TX" value="${esc(f.location?.state)}"></label>
            <label>ZIP <input name="zip" maxlength="10" size="10" value="${esc(f.location?.zip)}"></label>
          </div>
          <label>Remote coders may live in (states, comma separated; empty: anywhere) <input name="remoteStates" placeholder="TX, OK, LA" value="${esc((f.remoteStates || []).join(', '))}"></label>
        </fieldset>
        <fieldset><legend>Pay</legend>
          <div class="row">
            <label>Pay model <select name="payModel">${sel(PAY_MODELS, 'PAY_MODEL_', f.pay?.model, 'Not stated')}</select></label>
            <label>From ($) <input name="payMin" type="number" min="0" step="0.01" value="${esc(dollars(f.pay?.minCents))}"></label>
            <label>To ($) <input name="payMax" type="number" min="0" step="0.01" value="${esc(dollars(f.pay?.maxCents))}"></label>
          </div>
        </fieldset>
        <fieldset><legend>Credentials</legend>
          <p class="muted">Required</p><div class="checks" id="cred-required">${checks('credentialsRequired', asTable(CREDENTIALS), f.credentialsRequired || [])}</div>
          <p class="muted">Preferred</p><div class="checks">${checks('credentialsPreferred', asTable(CREDENTIALS), f.credentialsPreferred || [])}</div>
          <label class="inline"><input type="checkbox" name="cpcAAccepted" ${f.cpcAAccepted ? 'checked' : ''}> Apprentices (CPC-A) welcome</label>
        </fieldset>
        <fieldset><legend>The work</legend>
          <div class="checks">${checks('settings', SETTINGS, f.settings || [], 'CODING_SETTING_')}</div>
          <label>Specialties (comma separated) <input name="specialties" placeholder="cardiology, orthopedics" value="${esc((f.specialties || []).join(', '))}"></label>
          <div class="row">
            <label>Productivity target <input name="productivityTarget" maxlength="100" placeholder="25 charts/hour" value="${esc(f.productivityTarget)}"></label>
            <label>Accuracy target (%) <input name="accuracyTargetPercent" type="number" min="0" max="100" value="${esc(f.accuracyTargetPercent || '')}"></label>
          </div>
          <label class="inline"><input type="checkbox" name="codingTestRequired" ${f.codingTestRequired ? 'checked' : ''}> Applicants take a coding test</label>
        </fieldset>
        <fieldset><legend>Applying</legend>
          <label>How to apply (instructions or an https link) <input name="howToApply" maxlength="1000" value="${esc(f.howToApply)}"></label>
          <label>Closes on (empty: 30 days after publishing; at most 90 days ahead) <input name="closesAt" type="date" value="${esc(dateInput(f.closesAt))}"></label>
        </fieldset>
        <p class="form-error" role="alert"></p>
        <button type="submit">${p ? 'Save changes' : 'Save draft'}</button> <a href="#/employer">Cancel</a>
      </form></section>`;
  const form = view.querySelector('#posting-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const error = form.querySelector('.form-error');
    error.textContent = '';
    const fields = fieldsFrom(form);
    try {
      const res = p
        ? await send('PUT', `/api/v1/postings/${enc(p.postingId)}`, { fields, expectedVersion: p.version })
        : await send('POST', '/api/v1/postings', { fields });
      toast(p ? 'Changes saved.' : 'Draft saved. Check the preview, then publish.');
      location.hash = `#/employer/preview/${enc(res.posting.postingId)}`;
    } catch (e) {
      error.textContent = e.status === 409 && p
        ? 'This posting was changed elsewhere since you opened it. Reload the page to edit the current version.'
        : e.message;
    }
  });
}

// --------------------------------------------------------------- preview
async function previewView(view, id) {
  let p;
  try { p = (await api('GET', `/api/v1/jobs/${enc(id)}`)).posting; } catch (e) {
    view.innerHTML = `<section class="card error"><p>${esc(e.message)}</p></section>`;
    return;
  }
  const canPublish = p.status === 'POSTING_STATUS_DRAFT' || p.status === 'POSTING_STATUS_REJECTED';
  view.innerHTML = `
    <p class="banner">Preview: this is how coders will see the posting. Status: <b>${esc(STATUS[p.status] || '')}</b></p>
    ${p.status === 'POSTING_STATUS_REJECTED' ? `<p class="warn review-note">Not approved. The administrator wrote: “${esc(p.reviewNote || 'no reason given')}”</p>` : ''}
    <article class="card" id="preview">${postingHtml(p)}</article>
    <p class="actions">
      <a href="#/employer/edit/${enc(id)}">Edit</a>
      ${canPublish ? '<button type="submit" id="publish">Publish</button>' : ''}
      <a href="#/employer">Back to my postings</a></p>`;
  view.querySelector('#publish')?.addEventListener('click', async () => {
    try {
      const res = await send('POST', `/api/v1/postings/${enc(id)}/publish`);
      toast(res.posting.status === 'POSTING_STATUS_PENDING_APPROVAL'
        ? 'Submitted for approval. It goes live once an administrator approves it.' : 'Published.');
      location.hash = '#/employer';
    } catch (e) { toast(e.message); }
  });
}

// ------------------------------------------------------------ applicants
async function applicantsView(view, id) {
  view.innerHTML = '<p class="muted">Loading…</p>';
  let p;
  try { p = (await api('GET', `/api/v1/jobs/${enc(id)}`)).posting; } catch (e) {
    view.innerHTML = `<section class="card error"><p>${esc(e.message)}</p></section>`;
    return;
  }
  view.innerHTML = `
    <section class="card"><h1>Applicants</h1><p>${esc(p.fields.title)} · <a href="#/employer">my postings</a></p>
      <ul id="applicants" class="plain"><li class="muted">Loading…</li></ul></section>`;
  const ul = view.querySelector('#applicants');
  const load = async () => {
    try {
      const res = await api('GET', `/api/v1/postings/${enc(id)}/applicants`, { query: { pageSize: 100 } });
      ul.innerHTML = (res.applications || []).map((a) => `
        <li class="card applicant" data-application="${esc(a.applicationId)}">
          <p><b>${a.applicantDeleted ? 'The applicant deleted their account' : `Applicant ${esc((a.coderAccountId || '').slice(0, 8))}`}</b> <span class="muted">applied ${esc(day(a.createdAt))}</span>
            ${a.status === 'APPLICATION_STATUS_WITHDRAWN' ? '<span class="badge">withdrawn</span>' : ''}
            ${a.reviewedAt ? `<span class="badge ok">reviewed ${esc(day(a.reviewedAt))}</span>` : ''}</p>
          ${a.applicantDeleted ? '<p class="muted deleted-applicant">Their cover letter and résumé link were erased with the account.</p>'
            : `<blockquote class="cover-letter">${esc(a.note) || '<span class="muted">No cover letter.</span>'}</blockquote>`}
          ${a.resumeUrl ? `<p><a href="${esc(a.resumeUrl)}" rel="noopener noreferrer" target="_blank">Résumé</a></p>` : ''}
          <button type="button" data-review="${a.reviewedAt ? 'false' : 'true'}" data-id="${esc(a.applicationId)}">${a.reviewedAt ? 'Mark not reviewed' : 'Mark reviewed'}</button>
        </li>`).join('')
        || '<li class="empty">No applications yet. They appear here as coders apply.</li>';
    } catch (e) { ul.innerHTML = `<li class="form-error">${esc(e.message)}</li>`; }
  };
  ul.addEventListener('click', async (ev) => {
    const { review, id: appId } = ev.target.dataset || {};
    if (!review) return;
    try {
      await send('POST', `/api/v1/postings/${enc(id)}/applicants/${enc(appId)}/review`, { reviewed: review === 'true' });
      load();
    } catch (e) { toast(e.message); }
  });
  load();
}
