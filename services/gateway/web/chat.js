// CasePilot chat (#/chat): POST /api/v1/assistant/ask and read the answer as
// it streams back, one JSON event per line: progress, answer chunks, final
// (citations, follow-ups). The answer's Markdown is rendered from escaped
// text (markdown.js), so nothing the model writes can run in the page.
import { ApiError, ensureCsrf } from './api.js';
import { renderMarkdown } from './markdown.js';

const esc = (s) => String(s ?? '').replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)oe_csrf=([^;]+)/);
  return m ? m[1] : '';
}

// Calls onEvent(event) for every line of the stream; throws ApiError when the
// gateway refuses the question or the stream ends with an error line.
export async function ask(question, conversationId, onEvent, signal) {
  await ensureCsrf();
  const res = await fetch('/api/v1/assistant/ask', {
    method: 'POST', signal, credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson', 'X-CSRF-Token': csrfToken() },
    body: JSON.stringify({ question, conversationId }),
  });
  if (!res.ok) {
    const err = new ApiError(res.status, await res.json().catch(() => ({})));
    err.retryAfter = Number(res.headers.get('Retry-After') || 0);
    throw err;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    pending += decoder.decode(value || new Uint8Array(), { stream: !done });
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (!line) continue;
      const event = JSON.parse(line);
      if (event.error) throw new ApiError(event.error.code, event);
      onEvent(event);
    }
    if (done) return;
  }
}

// Asks and shows the answer in `box` as it streams: progress, the answer's
// Markdown (from escaped text), then the sources; every cited code links to
// its page, in the answer and the sources. `codes` names codes to link from
// the start ({ 'E11.22': 'ICD10CM' }). Returns the final event, or null
// after showing the error.
export async function askInto(box, question, conversationId, codes = {}) {
  box.innerHTML = '<p class="progress muted">Thinking…</p><div class="answer"></div><div class="sources"></div>';
  const progress = box.querySelector('.progress');
  const answer = box.querySelector('.answer');
  let text = '';
  let final = null;
  try {
    await ask(question, conversationId, (e) => {
      if (e.progress) progress.textContent = e.progress.message || e.progress.step;
      if (e.chunk) { text += e.chunk.text; answer.innerHTML = renderMarkdown(text, codes); }
      if (e.final) final = e.final;
    });
  } catch (e) {
    progress.remove();
    answer.className = 'answer form-error';
    answer.textContent = e.message;
    return null;
  }
  progress.remove();
  const f = final || {};
  if (!text) text = f.answerText || '';
  for (const c of f.citations || []) if (c.code && c.system) codes[c.code] = String(c.system).replace('CODE_SYSTEM_', '');
  answer.innerHTML = renderMarkdown(text, codes);
  const link = (c) => (codes[c.code] ? `<a href="#/code/${codes[c.code]}/${encodeURIComponent(String(c.code).replace('.', ''))}">${esc(c.code)}</a>` : esc(c.code));
  box.querySelector('.sources').innerHTML = (f.citations || []).length
    ? `<p class="muted">Sources</p><ul>${f.citations.map((c) => `<li>${link(c)} ${esc(c.edition)} — ${esc(c.source)}: ${esc(c.fact)}</li>`).join('')}</ul>` : '';
  return f;
}

export function chatView(view) {
  let conversationId = '';
  view.innerHTML = `
    <section class="card chat"><h1>Ask CasePilot</h1>
      <p class="muted">Coding questions answered from OpenEncoder's data, with the sources it used.</p>
      <ol id="chat-log" aria-live="polite"></ol>
      <form id="chat-form">
        <label for="chat-q">Question</label>
        <textarea id="chat-q" name="question" rows="3" maxlength="2000" required
          placeholder="Which code is a heart attack of unspecified site?"></textarea>
        <button type="submit">Ask</button>
      </form></section>`;
  const log = view.querySelector('#chat-log');
  const form = view.querySelector('#chat-form');
  const input = view.querySelector('#chat-q');

  async function send(question) {
    const you = document.createElement('li');
    you.className = 'you';
    you.textContent = question;
    const reply = document.createElement('li');
    reply.className = 'pilot';
    log.append(you, reply);
    form.querySelector('button').disabled = true;
    const f = await askInto(reply, question, conversationId);
    form.querySelector('button').disabled = false;
    if (!f) return;
    conversationId = f.conversationId || conversationId;
    // "I don't know" offers CaseConsultant (the answer names its address): link its form.
    if (f.outcome === 'ANSWER_OUTCOME_DONT_KNOW') reply.insertAdjacentHTML('beforeend', '<p><a class="button consult-link" href="#/consult">Ask a certified coder</a></p>');
    const more = document.createElement('div');
    more.innerHTML = (f.followUps || []).map((q) => `<button type="button" class="follow-up">${esc(q)}</button>`).join('');
    reply.append(more);
    more.querySelectorAll('.follow-up').forEach((b) => b.addEventListener('click', () => send(b.textContent)));
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    input.value = '';
    send(q);
  });
  input.focus();
}
