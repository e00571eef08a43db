// Case2Code search: the search box, typeahead results on every keystroke,
// keyboard navigation; a hit opens its code page.
import { api } from './api.js';
import { esc, toast } from './ui.js';

const SYSTEMS = { ICD10CM: 'ICD-10-CM', ICD10PCS: 'ICD-10-PCS', HCPCS: 'HCPCS', CPT: 'CPT', ICD9CM: 'ICD-9-CM' };
const shortSystem = (s) => String(s || '').replace('CODE_SYSTEM_', '');

export function searchView(view, params) {
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
    const corr = document.getElementById('correction');
    if (!query) {
      // Nothing typed: no results, no count and no stale "Showing results for".
      list.innerHTML = ''; document.getElementById('count').textContent = '';
      corr.hidden = true; corr.innerHTML = '';
      input.setAttribute('aria-expanded', 'false');
      return;
    }
    controller = new AbortController();
    try {
      const r = await api('GET', '/api/v1/search', {
        query: { query, pageSize: 20, 'filters.systems': select.value || undefined }, signal: controller.signal,
      });
      corr.hidden = !r.correctedQuery;
      corr.innerHTML = r.correctedQuery ? `Showing results for <strong>${esc(r.correctedQuery)}</strong>` : '';
      document.getElementById('count').textContent =
        `${r.totalCount} result${r.totalCount === '1' ? '' : 's'}${r.partial ? ' (partial matches)' : ''}`;
      active = -1;
      // Options are not links (a listbox option must not hold interactive
      // content): a click or Enter opens the option's data-href.
      list.innerHTML = r.hits.length ? r.hits.map((h, i) => `
        <li id="hit-${i}" role="option" aria-selected="false" data-href="#/code/${shortSystem(h.system)}/${encodeURIComponent(h.code)}">
            <span class="code">${esc(h.displayCode || h.code)}</span>
            <span class="sys">${esc(SYSTEMS[shortSystem(h.system)] || '')}</span>
            <span class="title">${h.snippet || esc(h.title)}</span>
            ${h.plainLanguage ? `<span class="plain">${esc(h.plainLanguage)}</span>` : ''}
          </li>`).join('')
        : `<li class="empty muted">No codes match “${esc(query)}”. Try other words, a code, or all systems.</li>`;
      input.setAttribute('aria-expanded', r.hits.length ? 'true' : 'false');
    } catch (e) {
      if (e.name !== 'AbortError') toast(e.message);
    }
  }
  list.addEventListener('click', (ev) => {
    const option = ev.target.closest('[role=option]');
    if (option) location.hash = option.dataset.href;
  });
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 120); });
  select.addEventListener('change', run);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') { ev.preventDefault(); setActive(active + 1); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); setActive(active - 1); }
    else if (ev.key === 'Enter') {
      ev.preventDefault();
      const items = list.querySelectorAll('[role=option]');
      if (items.length) location.hash = items[Math.max(active, 0)].dataset.href;
    } else if (ev.key === 'Escape') { input.value = ''; run(); }
  });
  document.getElementById('search-form').addEventListener('submit', (ev) => ev.preventDefault());
  input.focus();
  if (q) run();
}
