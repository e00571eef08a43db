// Claim check: NCCI edit pairs and MUEs over the lines of a claim.
import { api, ensureCsrf } from './api.js';
import { esc } from './ui.js';

export function claimView(view) {
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
      const unknown = r.unknownCodes || [];
      // "Clean" only when something was checked: unknown codes were not.
      const verdict = unknown.length >= lines.length ? 'Not checked: no known code'
        : !r.clean ? 'Conflicts found' : unknown.length ? 'No conflicts among the known codes' : 'Clean';
      out.innerHTML = `
        <p class="${r.clean && !unknown.length ? 'ok' : 'warn'}"><b>${verdict}</b> — ${esc(r.summary)}</p>
        <ul>${(r.ncciConflicts || []).map((c) => `<li>${esc(c.explanation)}</li>`).join('')}
        ${(r.mueViolations || []).map((m) => `<li>${esc(m.explanation)}</li>`).join('')}
        ${(r.unknownCodes || []).map((u) => `<li>Unknown code: ${esc(u)}</li>`).join('')}</ul>`;
    } catch (e) { out.innerHTML = `<p class="form-error">${esc(withoutRegex(e.message))}</p>`; }
  });
}

// Server messages may name a code's pattern as a regular expression
// ("^[A-V][0-9]{4}$"); people get the words around it.
const withoutRegex = (m) => String(m).replace(/\s*\(?\^[^\s]*\$\)?/g, '').replace(/\s+([.,;:])/g, '$1');
