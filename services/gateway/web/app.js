// OpenEncoder web client: plain ES modules, no build step. Views are chosen
// by the URL hash (#/code/ICD10CM/E119), so the gateway serves one page.
import { api, ensureCsrf } from './api.js';
import { jobsView, jobView, myJobsView } from './jobs.js';
import { employerView } from './employer.js';
import { adminView } from './admin.js';
import { chatView } from './chat.js';
import { esc, state, toast } from './ui.js';

// Re-exported for modules that still import them from here.
export { esc, state, toast };

const view = document.getElementById('view');
const SYSTEMS = { ICD10CM: 'ICD-10-CM', ICD10PCS: 'ICD-10-PCS', HCPCS: 'HCPCS', CPT: 'CPT', ICD9CM: 'ICD-9-CM' };
const shortSystem = (s) => String(s || '').replace('CODE_SYSTEM_', '');


function meterText(quota) {
  if (!quota) return '';
  if (quota.unlimited) return 'Unlimited code page views';
  const n = quota.viewsRemaining;
  return `${n} code page view${n === 1 ? '' : 's'} remaining`;
}

export async function refreshSession() {
  try {
    state.session = await api('GET', '/api/v1/session');
  } catch (e) {
    state.session = null;
    toast(e.message);
  }
  const s = state.session;
  document.getElementById('meter').textContent = meterText(s?.quota);
  const signedIn = !!s?.signedIn;
  document.getElementById('who').textContent = signedIn ? (s.account?.displayName || s.account?.email || '') : '';
  document.getElementById('nav-login').hidden = signedIn;
  document.getElementById('nav-register').hidden = signedIn;
  document.getElementById('logout').hidden = !signedIn;
  const roles = s?.session?.roles || [];
  document.getElementById('nav-admin').hidden = !roles.includes('ROLE_ADMIN');
  document.getElementById('nav-employer').hidden = !roles.includes('ROLE_EMPLOYER') && !roles.includes('ROLE_ADMIN');
}

// ------------------------------------------------------------------ search
function searchView(params) {
  const q = params.get('q') || '';
  const sys = params.get('system') || '';
  view.innerHTML = `
    <section class="search">
      <h1>Find a code</h1>
      <form id="search-form" role="search">
        <input id="q" type="search" autocomplete="off" placeholder="Code, words or lay terms: heart attack, E11.9, knee replacement"
          aria-label="Search codes" role="combobox" aria-controls="results" aria-expanded="false" value="${esc(q)}">
        <select id="system" aria-label="Code system">
          <option value="">All systems</option>
          ${Object.entries(SYSTEMS).map(([k, v]) => `<option value="${k}" ${k === sys ? 'selected' : ''}>${v}</option>`).join('')}
        </select>
      </form>
      <p id="correction" hidden></p>
      <p id="count" class="muted"></p>
      <ul id="results" role="listbox" aria-label="Results"></ul>
    </section>`;
  const input = document.getElementById('q');
  const select = document.getElementById('system');
  const list = document.getElementById('results');
  let active = -1;
  let controller = null;
  let timer = 0;

  const setActive = (i) => {
    const items = [...list.querySelectorAll('[role=option]')];
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach((el, j) => el.setAttribute('aria-selected', j === active ? 'true' : 'false'));
    input.setAttribute('aria-activedescendant', items[active].id);
    items[active].scrollIntoView({ block: 'nearest' });
  };

  async function run() {
    const query = input.value.trim();
    history.replaceState(null, '', `#/?q=${encodeURIComponent(query)}${select.value ? `&system=${select.value}` : ''}`);
    controller?.abort();
    if (!query) { list.innerHTML = ''; document.getElementById('count').textContent = ''; return; }
    controller = new AbortController();
    try {
      const r = await api('GET', '/api/v1/search', {
        query: { query, pageSize: 20, 'filters.systems': select.value || undefined }, signal: controller.signal,
      });
      const corr = document.getElementById('correction');
      corr.hidden = !r.correctedQuery;
      corr.innerHTML = r.correctedQuery ? `Showing results for <strong>${esc(r.correctedQuery)}</strong>` : '';
      document.getElementById('count').textContent =
        `${r.totalCount} result${r.totalCount === '1' ? '' : 's'}${r.partial ? ' (partial matches)' : ''}`;
      active = -1;
      list.innerHTML = r.hits.map((h, i) => `
        <li id="hit-${i}" role="option" aria-selected="false">
          <a href="#/code/${shortSystem(h.system)}/${encodeURIComponent(h.code)}">
            <span class="code">${esc(h.displayCode || h.code)}</span>
            <span class="sys">${esc(SYSTEMS[shortSystem(h.system)] || '')}</span>
            <span class="title">${h.snippet || esc(h.title)}</span>
            ${h.plainLanguage ? `<span class="plain">${esc(h.plainLanguage)}</span>` : ''}
          </a></li>`).join('');
      input.setAttribute('aria-expanded', r.hits.length ? 'true' : 'false');
    } catch (e) {
      if (e.name !== 'AbortError') toast(e.message);
    }
  }
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 120); });
  select.addEventListener('change', run);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') { ev.preventDefault(); setActive(active + 1); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); setActive(active - 1); }
    else if (ev.key === 'Enter') {
      ev.preventDefault();
      const items = list.querySelectorAll('[role=option] a');
      if (items.length) items[Math.max(active, 0)].click();
    } else if (ev.key === 'Escape') { input.value = ''; run(); }
  });
  document.getElementById('search-form').addEventListener('submit', (ev) => ev.preventDefault());
  input.focus();
  if (q) run();
}

// --------------------------------------------------------------- code page
const section = (title, body) => (body ? `<section class="card"><h2>${title}</h2>${body}</section>` : '');
const date = (d) => (d && d.year ? `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}` : '');

async function codeView(system, code) {
  view.innerHTML = '<p class="muted">Loading…</p>';
  let r;
  try {
    r = await api('GET', `/api/v1/codes/${encodeURIComponent(code)}`, { query: { system } });
  } catch (e) {
    view.innerHTML = `<section class="card error"><h1>${esc(code)}</h1><p>${esc(e.message)}</p></section>`;
    return;
  }
  await refreshSession();
  const meter = r.meter || {};
  const meterLine = meter.unlimited ? '' : (meter.message || `${meter.viewsRemaining} code page views remaining`);
  if (r.teaser) {
    const c = r.teaser.code || {};
    // Guests are asked to register in the product's words; members are told
    // what the catalogue says (e.g. the month's views are used up).
    const gatedText = state.session?.signedIn ? (r.teaser.action || 'Not available on your plan') : 'Register to view content';
    view.innerHTML = `
      <article id="code-page" class="teaser">
        <h1><span class="code">${esc(c.displayCode || c.code)}</span> ${esc(c.shortTitle || c.title)}</h1>
        <p id="page-meter" class="meter">${esc(meterLine)}</p>
        ${['Plain-language and official descriptions', 'Family and hierarchy', 'Modifiers', 'NCCI pairs', 'MUE', 'Crosswalks']
          .map((t) => `<section class="card gated"><h2>${t}</h2><p>${esc(gatedText)}</p></section>`).join('')}
        ${state.session?.signedIn ? `<p>${esc(meter.upgradeHint || '')}</p>` :
          `<p><a id="register-more" class="button" href="#/register">Register for 5 more views</a> ${esc(meter.upgradeHint || '')}</p>`}
      </article>`;
    return;
  }
  const p = r.page;
  const c = p.code || {};
  const d = p.descriptors || {};
  const h = p.hierarchy || {};
  const codeLink = (s) => `<a href="#/code/${shortSystem(s.system)}/${encodeURIComponent(s.code)}">${esc(s.displayCode || s.code)}</a> ${esc(s.shortTitle || s.title)}`;
  view.innerHTML = `
    <article id="code-page">
      <h1><span class="code">${esc(c.displayCode || c.code)}</span> ${esc(c.title || c.shortTitle)}</h1>
      <p id="page-meter" class="meter">${esc(meterLine)}</p>
      <p class="muted">${esc(SYSTEMS[shortSystem(c.system)] || '')} · ${c.billable ? 'billable' : 'not billable'} · ${esc(shortSystem(p.lifecycle?.status).replace('CODE_STATUS_', '').toLowerCase())}</p>
      ${section('In plain language', `<p id="plain">${esc(d.plainLanguage || c.plainLanguage || '—')}</p>`)}
      ${section('Official description', `<p>${esc(d.officialLong || c.title || '')}</p>${d.officialShort ? `<p class="muted">Short: ${esc(d.officialShort)}</p>` : ''}${d.officialNote ? `<p class="muted">${esc(d.officialNote)}</p>` : ''}`)}
      ${section('Family', `<p>${esc(c.family || '')}</p><ol class="crumbs">${(h.ancestors || []).map((a) => `<li>${codeLink(a)}</li>`).join('')}</ol>
        ${(h.children || []).length ? `<h3>Codes under it</h3><ul>${h.children.map((x) => `<li>${codeLink(x)}</li>`).join('')}</ul>` : ''}`)}
      ${section('Modifiers', (p.modifiers || []).length ? `<ul>${p.modifiers.map((m) => `<li><b>${esc(m.code)}</b> ${esc(m.name)}${m.whenToUse ? ` — ${esc(m.whenToUse)}` : ''}</li>`).join('')}</ul>` : '<p class="muted">None listed.</p>')}
      ${section('NCCI pairs', (p.ncciPairs || []).length ? `<table><thead><tr><th>Column 1</th><th>Column 2</th><th>Modifier</th><th>Effective</th></tr></thead><tbody>${p.ncciPairs.map((n) => `<tr><td>${esc(n.column1Code)}</td><td>${esc(n.column2Code)}</td><td>${esc(String(n.modifierIndicator).replace('MODIFIER_INDICATOR_', '').toLowerCase().replace('_', ' '))}</td><td>${date(n.effectiveDate)}${n.demo ? ' <span class="demo">demo</span>' : ''}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">No NCCI pairs.</p>')}
      ${section('MUE', p.mue ? `<p>At most <b>${p.mue.units}</b> unit(s) — ${esc(p.mue.adjudicationExplanation || '')}${p.mue.demo ? ' <span class="demo">demo</span>' : ''}</p>` : '<p class="muted">No MUE published.</p>')}
      ${section('Crosswalks', (p.crosswalks || []).length ? `<ul>${p.crosswalks.map((x) => `<li>${x.noMap ? 'No map' : `${esc(x.target?.code)} ${esc(x.targetTitle)}${x.approximate ? ' (approximate)' : ''}`}</li>`).join('')}</ul>` : '<p class="muted">No crosswalk.</p>')}
      ${(p.attributions || []).length ? `<p class="muted small">${p.attributions.map((a) => esc(`${a.source}${a.notice ? ': ' + a.notice : ''}`)).join(' · ')}</p>` : ''}
    </article>`;
}

// ------------------------------------------------------------ account forms
function formValues(form) { return Object.fromEntries(new FormData(form).entries()); }

function registerView() {
  view.innerHTML = `
    <section class="card narrow"><h1>Register</h1>
      <p>A free account gets 5 more code page views this month once you confirm your email address.</p>
      <form id="register-form">
        <label>Email <input name="email" type="email" required autocomplete="email"></label>
        <label>Name <input name="displayName" required autocomplete="name"></label>
        <label>Password <input name="password" type="password" required minlength="8" autocomplete="new-password"></label>
        <label>I am <select name="role"><option value="ROLE_CODER">a coder</option><option value="ROLE_EMPLOYER">an employer</option></select></label>
        <button type="submit">Create account</button>
        <p class="form-error" role="alert"></p>
      </form></section>`;
  const form = document.getElementById('register-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await ensureCsrf();
      await api('POST', '/api/v1/account/register', { body: formValues(form) });
      await refreshSession();
      location.hash = sessionStorage.getItem('oe:last-code') || '#/';
    } catch (e) { form.querySelector('.form-error').textContent = e.message; }
  });
}

function loginView() {
  view.innerHTML = `
    <section class="card narrow"><h1>Log in</h1>
      <form id="login-form">
        <label>Email <input name="email" type="email" required autocomplete="email"></label>
        <label>Password <input name="password" type="password" required autocomplete="current-password"></label>
        <button type="submit">Log in</button>
        <p class="form-error" role="alert"></p>
      </form><p><a href="/reset-password.html">Forgot your password?</a></p></section>`;
  const form = document.getElementById('login-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await ensureCsrf();
      await api('POST', '/api/v1/account/login', { body: formValues(form) });
      await refreshSession();
      location.hash = '#/';
    } catch (e) { form.querySelector('.form-error').textContent = e.message; }
  });
}

// -------------------------------------------------------------- claim check
function claimView() {
  view.innerHTML = `
    <section class="card"><h1>Claim check</h1>
      <p>One line per service: code, units, then modifiers. Example: <code>29881 1</code> and <code>29880 1 59</code>.</p>
      <form id="claim-form">
        <textarea id="claim-lines" name="lines" rows="6" required aria-label="Claim lines">29881 1\n29880 1</textarea>
        <button type="submit">Check</button>
      </form>
      <div id="claim-result" aria-live="polite"></div></section>`;
  const form = document.getElementById('claim-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const lines = document.getElementById('claim-lines').value.split('\n').map((l) => l.trim()).filter(Boolean)
      .map((l) => { const [code, units, ...modifiers] = l.split(/[\s,]+/); return { code, units: Number(units || 1), modifiers }; });
    const out = document.getElementById('claim-result');
    try {
      await ensureCsrf();
      const r = await api('POST', '/api/v1/claims/check', { body: { lines } });
      out.innerHTML = `
        <p class="${r.clean ? 'ok' : 'warn'}"><b>${r.clean ? 'Clean' : 'Conflicts found'}</b> — ${esc(r.summary)}</p>
        <ul>${(r.ncciConflicts || []).map((c) => `<li>${esc(c.explanation)}</li>`).join('')}
        ${(r.mueViolations || []).map((m) => `<li>${esc(m.explanation)}</li>`).join('')}
        ${(r.unknownCodes || []).map((u) => `<li>Unknown code: ${esc(u)}</li>`).join('')}</ul>`;
    } catch (e) { out.innerHTML = `<p class="form-error">${esc(e.message)}</p>`; }
  });
}

// ------------------------------------------------------------------ router
async function route() {
  const [path, qs] = (location.hash.slice(1) || '/').split('?');
  const params = new URLSearchParams(qs || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  view.focus({ preventScroll: true });
  if (parts[0] === 'code' && parts.length >= 3) {
    sessionStorage.setItem('oe:last-code', location.hash);
    return codeView(parts[1], parts[2]);
  }
  if (parts[0] === 'register') return registerView();
  if (parts[0] === 'login') return loginView();
  if (parts[0] === 'claim') return claimView();
  if (parts[0] === 'chat') return chatView(view);
  if (parts[0] === 'jobs' && parts[1]) return jobView(view, parts[1]);
  if (parts[0] === 'jobs') return jobsView(view, params);
  if (parts[0] === 'my-jobs') return myJobsView(view);
  if (parts[0] === 'employer') return employerView(view, parts.slice(1));
  if (parts[0] === 'admin') return adminView(view);
  return searchView(params);
}

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await ensureCsrf();
    await api('POST', '/api/v1/account/logout', { body: {} });
  } catch (e) { toast(e.message); }
  await refreshSession();
  location.hash = '#/';
});
window.addEventListener('hashchange', route);
refreshSession().then(route);
