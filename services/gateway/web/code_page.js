// The code page (#/code/SYSTEM/CODE): the page or, when the meter says no,
// the teaser with locked sections; the seed's meter sentence for guests;
// Tabular List notes, lifecycle, fees and the CasePilot box that asks about
// this code. Every text from the server is escaped before it is shown.
import { api } from './api.js';
import { esc, state, refreshSession } from './ui.js';
import { askInto } from './chat.js';

export const SYSTEMS = { ICD10CM: 'ICD-10-CM', ICD10PCS: 'ICD-10-PCS', HCPCS: 'HCPCS', CPT: 'CPT', ICD9CM: 'ICD-9-CM' };
export const shortSystem = (s) => String(s || '').replace('CODE_SYSTEM_', '');
const section = (title, body, id = '') => (body ? `<section class="card"${id ? ` id="${id}"` : ''}><h2>${title}</h2>${body}</section>` : '');
const date = (d) => (d && d.year ? `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}` : '');
const money = (cents) => `$${(Number(cents || 0) / 100).toFixed(2)}`;
const codeHref = (system, code) => `#/code/${shortSystem(system)}/${encodeURIComponent(code)}`;
const plural = (n, word) => `${n} ${word}${Number(n) === 1 ? '' : 's'}`;

// The meter line. Guests get the seed's sentence word for word:
// "0 code page views remaining. Guest accounts are limited to 1 page view.
// Register free account to get 5 more views."
export function meterSentence(meter, signedIn) {
  if (!meter || meter.unlimited) return '';
  const n = Number(meter.viewsRemaining || 0);
  const remaining = `${plural(n, 'code page view')} remaining`;
  if (signedIn || (meter.plan && meter.plan !== 'guest')) return meter.message || remaining;
  const limit = Number(meter.viewLimit || 1);
  const more = (String(meter.upgradeHint || '').match(/(\d+) more/) || [])[1] || '5';
  return `${remaining}. Guest accounts are limited to ${plural(limit, 'page view')}. Register free account to get ${more} more views.`;
}

// "Upgrade to Pro for unlimited views" links to the pricing page.
function upgradeHintHtml(hint) {
  return esc(hint || '').replace(/Upgrade to Pro/, '<a id="upgrade-link" href="#/pricing">Upgrade to Pro</a>');
}

// ICD-10-CM codes named in a note, e.g. "(N18.1-N18.6)" or "(E10.-)", link to their pages.
function linkIcdCodes(text) {
  return esc(text).replace(/\b([A-TV-Z][0-9][0-9A-Z])(\.[0-9A-Z]{1,4}|\.-)?(?=[\s,);\-]|$)/g,
    (m, category, rest) => `<a href="${codeHref('ICD10CM', category + (rest && rest !== '.-' ? rest.slice(1) : ''))}">${m}</a>`);
}

function lifecycleLine(c, p) {
  const l = p.lifecycle || {};
  const deleted = l.status === 'CODE_STATUS_DELETED';
  const parts = [esc(SYSTEMS[shortSystem(c.system)] || '')];
  if (deleted) {
    parts.push(`<strong class="warn">deleted${l.terminationDate ? ` ${date(l.terminationDate)}` : ''}</strong>`);
    if ((l.replacedBy || []).length) {
      parts.push(`replaced by ${l.replacedBy.map((r) => `<a class="replacement" href="${codeHref(r.system || c.system, r.code)}">${esc(r.code)}</a>`).join(', ')}`);
    }
  } else {
    // Never "billable" on a deleted code.
    parts.push(c.billable ? 'billable' : 'not billable');
    parts.push(esc(l.summary || 'active'));
  }
  return `<p id="lifecycle" class="muted">${parts.join(' · ')}</p>`;
}

function tabularSection(t) {
  if (!t || !t.edition) return '';
  const notes = t.notes || [];
  const kinds = [...new Set(notes.map((n) => n.kind))];
  const body = `
    ${t.availabilityNote ? `<p class="muted" id="tabular-availability">${esc(t.availabilityNote)}</p>` : ''}
    ${kinds.map((k) => `<h3>${esc(k)}</h3><ul class="notes">${notes.filter((n) => n.kind === k).map((n) => `
      <li>${linkIcdCodes(n.text)} <span class="origin">${esc(n.origin)} · ${esc(n.edition)}</span></li>`).join('')}</ul>`).join('')}
    ${!notes.length && !t.availabilityNote ? '<p class="muted">No notes in this edition.</p>' : ''}
    ${(t.seventhCharacters || []).length ? `<h3>7th characters <span class="origin">${esc(t.seventhCharactersOrigin)} · ${esc(t.edition)}</span></h3>
      ${t.seventhCharacterMeaning ? `<p>This code: <b>${esc(t.seventhCharacterMeaning)}</b></p>` : ''}
      <table><tbody>${t.seventhCharacters.map((s) => `<tr><td class="code">${esc(s.character)}</td><td>${esc(s.meaning)}</td></tr>`).join('')}</tbody></table>` : ''}`;
  return section(`Tabular List notes <span class="muted small">(${esc(t.edition)})</span>`, body, 'tabular-notes');
}

function indexSection(c) {
  const entries = c.indexEntries || [];
  if (!entries.length) return '';
  const shown = entries.slice(0, 12);
  const display = esc(c.displayCode || c.code);
  return section(`Index entries <span class="muted small">(Alphabetic Index${c.indexEditionId ? `, ${esc(c.indexEditionId.replace(/^icd10cm-index-/, '').toUpperCase())}` : ''})</span>`, `
    <ul class="notes" id="index-entries">${shown.map((e) => `<li>${esc(e.path)}${e.see ? ` <span class="muted">(see${e.seeAlso ? ' also' : ''} ${esc(e.see)})</span>` : ''} → ${display}${e.subdivided ? ' <span class="muted">(choose a code under it)</span>' : ''}${e.manifestation ? ' <span class="muted">(manifestation, coded after its cause)</span>' : ''}</li>`).join('')}</ul>
    ${entries.length > shown.length ? `<p class="muted small">and ${entries.length - shown.length} more</p>` : ''}`, 'index');
}

function feeSection(p, locality) {
  const nf = p.nationalFee;
  if (!nf) return '';
  const f = p.nationalFacilityFee;
  const lf = p.localityFee;
  const lff = p.localityFacilityFee;
  const row = (where, a, b) => `<tr><th scope="row">${esc(where)}</th><td>${a ? money(a.amountCents) : '—'}</td><td>${b ? money(b.amountCents) : '—'}</td></tr>`;
  const body = `
    <table><thead><tr><th></th><th>Non-facility</th><th>Facility</th></tr></thead><tbody>
      ${row('National', nf, f)}
      ${lf ? row(lf.localityName || locality, lf, lff) : ''}
    </tbody></table>
    ${locality && !lf ? `<p class="warn">No fee for locality ${esc(locality)}.</p>` : ''}
    <form id="fee-locality" class="inline-form">
      <label class="inline">GPCI locality (MAC-locality) <input name="locality" value="${esc(locality)}" placeholder="13202-01" size="9" pattern="[0-9]{5}-[0-9]{2}"></label>
      <button type="submit">Show</button>
    </form>
    <p class="muted small">${esc(nf.formula || '')}</p>
    <p class="muted small" id="fee-note">${esc(p.feeNote || '')}</p>`;
  return section('Medicare physician fee (estimate)', body, 'fee');
}

function casePilotBox(systemLabel, display) {
  return `
    <section class="card casepilot" id="casepilot">
      <h2>Have a question about ${esc(systemLabel)} code ${esc(display)}?</h2>
      <form id="casepilot-form">
        <label for="casepilot-q">Ask CasePilot</label>
        <textarea id="casepilot-q" rows="2" maxlength="1800" required
          placeholder="e.g. When is ${esc(display)} used, and what should I check before reporting it?"></textarea>
        <button type="submit">Ask</button>
      </form>
      <div id="casepilot-answer" aria-live="polite"></div>
    </section>`;
}

function wireCasePilot(systemLabel, display, system) {
  const form = document.getElementById('casepilot-form');
  if (!form) return;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const q = document.getElementById('casepilot-q').value.trim();
    if (!q) return;
    form.querySelector('button').disabled = true;
    // The code travels with the question, so the assistant looks it up.
    await askInto(document.getElementById('casepilot-answer'), `About ${systemLabel} code ${display}: ${q}`,
      '', { [display]: system });
    form.querySelector('button').disabled = false;
  });
}

// Sections a teaser locks, named as on the page itself.
const lockedSections = (system) => ['In plain language', 'Official description',
  ...(system === 'ICD10CM' ? ['Tabular List notes'] : []),
  ...(system === 'CPT' || system === 'HCPCS' ? ['Medicare physician fee (estimate)'] : []),
  'Family and hierarchy', 'Modifiers, NCCI pairs and MUE'];

export async function codeView(view, system, code, params) {
  view.innerHTML = '<p class="muted">Loading…</p>';
  const locality = (params && params.get('locality')) || sessionStorage.getItem('oe:fee-locality') || '';
  // One request id per page view (the meter's key for retries): showing
  // another locality's fee repeats the same view, which is counted once.
  const requestId = (params && params.get('rid'))
    || (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);
  let r;
  try {
    r = await api('GET', `/api/v1/codes/${encodeURIComponent(code)}`, {
      query: { system, feeLocality: locality || undefined }, headers: { 'X-Request-Id': requestId },
    });
  } catch (e) {
    view.innerHTML = `<section class="card error"><h1>${esc(code)}</h1><p>${esc(e.message)}</p></section>`;
    return;
  }
  await refreshSession();
  const signedIn = !!state.session?.signedIn;
  const meterLine = meterSentence(r.meter, signedIn);
  if (r.teaser) {
    const c = r.teaser.code || {};
    // Guests are asked to register in the seed's words; members are told
    // what the catalogue says (e.g. the month's views are used up).
    const locked = signedIn
      ? `<p>${esc(r.teaser.action || 'Not available on your plan')}</p>`
      : '<p><strong>Register to view content</strong> — Create a free account to unlock this content</p>';
    view.innerHTML = `
      <article id="code-page" class="teaser">
        <h1><span class="code">${esc(c.displayCode || c.code)}</span> ${esc(c.shortTitle || c.title)}</h1>
        <p id="page-meter" class="meter">${esc(meterLine)}</p>
        ${lockedSections(shortSystem(c.system)).map((t) => `<section class="card gated"><h2>${t}</h2>${locked}</section>`).join('')}
        ${signedIn ? `<p>${upgradeHintHtml(r.meter?.upgradeHint)}</p>`
          : `<p><a id="register-more" class="button" href="#/register">Register for 5 more views</a> ${esc(r.meter?.upgradeHint || '')}</p>`}
      </article>`;
    return;
  }
  const p = r.page;
  const c = p.code || {};
  const d = p.descriptors || {};
  const h = p.hierarchy || {};
  const systemLabel = SYSTEMS[shortSystem(c.system)] || '';
  const display = c.displayCode || c.code;
  // Our CPT title is "family: plain language"; the family heads the page.
  const title = d.title || c.title || c.shortTitle || '';
  const split = d.title ? d.title.indexOf(': ') : -1;
  const heading = split > 0 ? d.title.slice(0, split) : title;
  const subtitle = split > 0 ? d.title.slice(split + 2) : '';
  const codeLink = (s) => `<a href="${codeHref(s.system, s.code)}">${esc(s.displayCode || s.code)}</a> ${esc(s.shortTitle || s.title)}`;
  const generated = p.commonLanguage && (p.commonLanguage.sentences || []).length
    ? `<p id="plain">${(p.commonLanguage.sentences || []).map((s) => esc(s.text)).join(' ')}</p><p class="muted small">${esc(p.commonLanguage.label)}</p>`
    : '';
  const plain = d.plainLanguage || c.plainLanguage
    ? `<p id="plain">${esc(d.plainLanguage || c.plainLanguage)}</p>`
    : (generated || '<p id="plain" class="muted">No plain-language text for this code yet.</p>');
  view.innerHTML = `
    <article id="code-page">
      <h1><span class="code">${esc(display)}</span> ${esc(heading)}</h1>
      ${subtitle ? `<p class="subtitle">${esc(subtitle)}</p>` : ''}
      ${d.officialNote ? `<p class="licence-note muted" id="licence-note">${esc(d.officialNote)}</p>` : ''}
      <p id="page-meter" class="meter">${esc(meterLine)}</p>
      ${lifecycleLine(c, p)}
      ${section('In plain language', plain)}
      ${d.officialLong || c.title ? section('Official description', `<p>${esc(d.officialLong || c.title)}</p>${d.officialShort ? `<p class="muted">Short: ${esc(d.officialShort)}</p>` : ''}`) : ''}
      ${indexSection(c)}
      ${tabularSection(p.tabular)}
      ${feeSection(p, locality)}
      ${casePilotBox(systemLabel, display)}
      ${section('Family', `<p>${esc(c.family || '')}</p><ol class="crumbs">${(h.ancestors || []).map((a) => `<li>${codeLink(a)}</li>`).join('')}</ol>
        ${(h.children || []).length ? `<h3>Codes under it</h3><ul>${h.children.map((x) => `<li>${codeLink(x)}</li>`).join('')}</ul>` : ''}`)}
      ${section('Modifiers', (p.modifiers || []).length ? `<ul>${p.modifiers.map((m) => `<li><b>${esc(m.code)}</b> ${esc(m.name)}${m.whenToUse ? ` — ${esc(m.whenToUse)}` : ''}</li>`).join('')}</ul>` : '<p class="muted">None listed.</p>')}
      ${section('NCCI pairs', (p.ncciPairs || []).length ? `<table><thead><tr><th>Column 1</th><th>Column 2</th><th>Modifier</th><th>Effective</th></tr></thead><tbody>${p.ncciPairs.map((n) => `<tr><td>${esc(n.column1Code)}</td><td>${esc(n.column2Code)}</td><td>${esc(String(n.modifierIndicator).replace('MODIFIER_INDICATOR_', '').toLowerCase().replace('_', ' '))}</td><td>${date(n.effectiveDate)}${n.demo ? ' <span class="demo">demo</span>' : ''}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">No NCCI pairs.</p>')}
      ${section('MUE', p.mue ? `<p>At most <b>${p.mue.units}</b> unit(s) — ${esc(p.mue.adjudicationExplanation || '')}${p.mue.demo ? ' <span class="demo">demo</span>' : ''}</p>` : '<p class="muted">No MUE published.</p>')}
      ${section('Crosswalks', (p.crosswalks || []).length ? `<ul>${p.crosswalks.map((x) => `<li>${x.noMap ? 'No map' : `${esc(x.target?.code)} ${esc(x.targetTitle)}${x.approximate ? ' (approximate)' : ''}`}</li>`).join('')}</ul>` : '<p class="muted">No crosswalk.</p>')}
      ${(p.attributions || []).length ? `<p class="muted small">${p.attributions.map((a) => esc(`${a.source}${a.notice ? ': ' + a.notice : ''}`)).join(' · ')}</p>` : ''}
    </article>`;
  const feeForm = document.getElementById('fee-locality');
  feeForm?.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = new FormData(feeForm).get('locality').trim();
    sessionStorage.setItem('oe:fee-locality', value);
    codeView(view, system, code, new URLSearchParams({ locality: value, rid: requestId }));
  });
  wireCasePilot(systemLabel, display, shortSystem(c.system));
}
