// CaseConsultant on the web.
//  * #/consult: "Ask a certified coder" (signed-in members; guests are asked
//    to register) and "My questions" with status and answer. The question
//    becomes the same ticket as a mailed one; the answer is mailed once and
//    shown here.
//  * #/consultant: the consultant console (ROLE_CONSULTANT): the waiting
//    queue, claim a question, answer the ones you claimed, see what was sent
//    and, for a follow-up mail, the thread before it.
// The assistant checks every permission again; the page only hides what a
// person could not use.
import { api, ensureCsrf } from './api.js';
import { esc, roles, state, toast } from './ui.js';

const MAX_QUESTION = 5000;

const STATUS_FOR_ASKER = {
  TICKET_STATUS_RECEIVED: 'Received',
  TICKET_STATUS_WAITING: 'Waiting for a certified coder',
  TICKET_STATUS_CLAIMED: 'A certified coder is working on it',
  TICKET_STATUS_ANSWERED: 'Answered (the mail is on its way)',
  TICKET_STATUS_SENT: 'Answered and mailed',
};

const when = (ts) => (ts ? new Date(ts).toLocaleString() : '');
const answered = (t) => t.status === 'TICKET_STATUS_ANSWERED' || t.status === 'TICKET_STATUS_SENT';
// Text as written, line breaks kept, nothing interpreted.
const prose = (s) => `<p class="prose">${esc(s).replace(/\n/g, '<br>')}</p>`;
const newSubmissionId = () => (crypto.randomUUID ? crypto.randomUUID()
  : `${Date.now()}-${Math.random().toString(16).slice(2)}`);

function questionHtml(t) {
  return `
    <article class="card ticket" data-ticket="${esc(t.ticketId)}">
      <h3>${esc(t.subject || 'Question')}${t.code ? ` <span class="code">${esc(t.code)}</span>` : ''}</h3>
      <p class="muted"><span class="status">${esc(STATUS_FOR_ASKER[t.status] || t.status)}</span> · asked ${esc(when(t.receivedAt))}</p>
      ${prose(t.question)}
      ${answered(t) ? `<h4>Answer</h4><div class="answer">${prose(t.answer)}</div>` : ''}
    </article>`;
}

export async function consultView(view) {
  const s = state.session;
  if (!s?.signedIn) {
    view.innerHTML = `
      <section class="card narrow" id="consult-guest"><h1>Ask a certified coder</h1>
        <p>CaseConsultant puts your coding question to a certified coder, who answers by email.</p>
        <p><strong>Register or log in to ask:</strong> the answer is mailed to your address and kept under
          “My questions”.</p>
        <p><a class="button" href="#/register">Register</a> or <a href="#/login">log in</a></p></section>`;
    return;
  }
  const unverified = s.account && !s.account.emailVerified;
  view.innerHTML = `
    <section class="card"><h1>Ask a certified coder</h1>
      <p class="muted">A certified coder reads your question and answers by email, usually within a working day.
        <span id="consult-address"></span></p>
      ${unverified ? '<p class="warn" id="consult-unverified">Confirm your email address first (the link is in the mail we sent you): the answer is mailed there.</p>' : ''}
      <form id="consult-form">
        <label>Subject (optional) <input name="subject" maxlength="200" autocomplete="off"
          placeholder="Modifier 25 with a preventive visit"></label>
        <label>Code (optional) <input name="code" maxlength="20" autocomplete="off" placeholder="99214"></label>
        <label for="consult-question">Question</label>
        <textarea id="consult-question" name="question" rows="6" maxlength="${MAX_QUESTION}" required
          placeholder="Describe the encounter and what you are unsure about. No patient names or identifiers."></textarea>
        <p class="muted" id="consult-count" aria-live="polite">0 / ${MAX_QUESTION}</p>
        <button type="submit">Send to CaseConsultant</button>
        <p class="form-error" role="alert"></p>
      </form></section>
    <section><h2>My questions</h2><div id="my-questions" aria-live="polite"><p class="muted">Loading…</p></div></section>`;
  const form = view.querySelector('#consult-form');
  const textarea = form.elements.question;
  const count = view.querySelector('#consult-count');
  textarea.addEventListener('input', () => { count.textContent = `${textarea.value.length} / ${MAX_QUESTION}`; });
  // One id per form: a retried post (double click, flaky network) finds
  // the question it already made instead of asking twice.
  let submissionId = newSubmissionId();
  const list = view.querySelector('#my-questions');

  async function load() {
    try {
      const r = await api('GET', '/api/v1/consult/questions', { query: { pageSize: 50 } });
      if (r.consultantAddress) {
        view.querySelector('#consult-address').innerHTML =
          `You can also email questions to <a href="mailto:${esc(r.consultantAddress)}">${esc(r.consultantAddress)}</a>.`;
      }
      const tickets = r.tickets || [];
      list.innerHTML = tickets.length ? tickets.map(questionHtml).join('')
        : '<p class="card empty" id="my-questions-empty">You have not asked anything yet. Questions you send here appear with their answers.</p>';
    } catch (e) {
      list.innerHTML = `<p class="form-error">${esc(e.message)}</p>`;
    }
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const error = form.querySelector('.form-error');
    error.textContent = '';
    const question = textarea.value.trim();
    if (!question) { error.textContent = 'Write your question first.'; return; }
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await ensureCsrf();
      await api('POST', '/api/v1/consult/questions', {
        body: {
          question, subject: form.elements.subject.value.trim(), code: form.elements.code.value.trim(), submissionId,
        },
      });
      form.reset();
      count.textContent = `0 / ${MAX_QUESTION}`;
      submissionId = newSubmissionId();
      toast('Sent: a certified coder will answer by email.');
      await load();
    } catch (e) {
      error.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
  load();
}

// ------------------------------------------------------------ the console
const TABS = [
  ['TICKET_STATUS_WAITING', 'Waiting'],
  ['TICKET_STATUS_CLAIMED', 'Claimed'],
  ['TICKET_STATUS_SENT', 'Sent'],
];
const EMPTY = {
  TICKET_STATUS_WAITING: 'No questions are waiting. New questions from the web form and by mail appear here.',
  TICKET_STATUS_CLAIMED: 'No claimed questions. Claim one from the Waiting list to answer it.',
  TICKET_STATUS_SENT: 'No answers have been mailed yet.',
};

function ticketForConsultant(t, me) {
  const mine = t.claimedBy && t.claimedBy === me;
  let actions = '';
  if (t.status === 'TICKET_STATUS_WAITING') {
    actions = '<button type="button" class="claim">Claim</button>';
  } else if (t.status === 'TICKET_STATUS_CLAIMED' && mine) {
    actions = `
      <form class="answer-form">
        <label>Your answer (mailed to ${esc(t.fromAddress)} once)
          <textarea name="answer" rows="6" maxlength="20000" required></textarea></label>
        <button type="submit">Send answer</button>
      </form>`;
  } else if (t.status === 'TICKET_STATUS_CLAIMED') {
    actions = '<p class="muted">Claimed by another consultant.</p>';
  }
  return `
    <article class="card ticket" data-ticket="${esc(t.ticketId)}">
      <h3>${esc(t.subject || '(no subject)')}${t.code ? ` <span class="code">${esc(t.code)}</span>` : ''}</h3>
      <p class="muted">From ${esc(t.fromAddress)} · ${t.requesterAccountId ? 'web form' : 'email'} · received ${esc(when(t.receivedAt))}</p>
      ${prose(t.question)}
      ${answered(t) ? `<h4>Answer${t.answeredByAssistant ? ' (by the assistant)' : ''}</h4>${prose(t.answer)}` : ''}
      ${String(t.inReplyTo || '').startsWith('<reply-') ? '<button type="button" class="thread">Show the earlier messages</button><div class="earlier"></div>' : ''}
      ${actions}
      <p class="form-error" role="alert"></p>
    </article>`;
}

export async function consultantView(view, params) {
  if (!roles().includes('ROLE_CONSULTANT')) {
    view.innerHTML = `<section class="card empty" id="consultant-denied"><h1>CaseConsultant queue</h1>
      <p>This page is for CaseConsultant consultants. An administrator can give your account the consultant role.</p></section>`;
    return;
  }
  const me = state.session?.session?.accountId || state.session?.account?.accountId || '';
  let status = TABS.some(([k]) => k === params?.get('status')) ? params.get('status') : TABS[0][0];
  view.innerHTML = `
    <section><h1>CaseConsultant queue</h1>
      <nav class="tabs" aria-label="Queue">${TABS.map(([k, label]) =>
    `<button type="button" data-status="${k}" aria-pressed="${k === status}">${label}</button>`).join('')}</nav>
      <p id="queue-count" class="muted" aria-live="polite"></p>
      <div id="queue"></div></section>`;
  const box = view.querySelector('#queue');

  async function load() {
    view.querySelectorAll('.tabs button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.status === status)));
    let r;
    try { r = await api('GET', '/api/v1/consult/tickets', { query: { status, pageSize: 50 } }); } catch (e) {
      box.innerHTML = `<p class="form-error">${esc(e.message)}</p>`;
      return;
    }
    const tickets = r.tickets || [];
    view.querySelector('#queue-count').textContent = tickets.length
      ? `${tickets.length} question${tickets.length === 1 ? '' : 's'}` : '';
    box.innerHTML = tickets.length ? tickets.map((t) => ticketForConsultant(t, me)).join('')
      : `<p class="card empty" id="queue-empty">${EMPTY[status]}</p>`;
  }

  view.querySelector('.tabs').addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-status]');
    if (!b) return;
    status = b.dataset.status;
    history.replaceState(null, '', `#/consultant?status=${status}`);
    load();
  });
  // A follow-up mail: the questions and answers before it, newest first.
  box.addEventListener('click', async (ev) => {
    const b = ev.target.closest('button.thread');
    if (!b) return;
    const card = b.closest('article');
    try {
      const r = await api('GET', `/api/v1/consult/tickets/${encodeURIComponent(card.dataset.ticket)}`);
      card.querySelector('.earlier').innerHTML = (r.earlier || []).map((t) => `
        <blockquote class="earlier-ticket"><p class="muted">${esc(t.subject || '(no subject)')} · received ${esc(when(t.receivedAt))}</p>
          ${prose(t.question)}${answered(t) ? `<p class="muted">Our answer</p>${prose(t.answer)}` : ''}</blockquote>`).join('')
        || '<p class="muted">The earlier messages are no longer kept.</p>';
      b.remove();
    } catch (e) { card.querySelector('.form-error').textContent = e.message; }
  });
  box.addEventListener('click', async (ev) => {
    const b = ev.target.closest('button.claim');
    if (!b) return;
    const card = b.closest('article');
    try {
      await ensureCsrf();
      await api('POST', `/api/v1/consult/tickets/${encodeURIComponent(card.dataset.ticket)}/claim`, { body: {} });
      toast('Claimed: answer it under Claimed.');
      status = 'TICKET_STATUS_CLAIMED';
      history.replaceState(null, '', `#/consultant?status=${status}`);
      await load();
    } catch (e) { card.querySelector('.form-error').textContent = e.message; }
  });
  box.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const card = form.closest('article');
    const answer = form.elements.answer.value.trim();
    if (!answer) { card.querySelector('.form-error').textContent = 'Write an answer before sending it.'; return; }
    form.querySelector('button').disabled = true;
    try {
      await ensureCsrf();
      await api('POST', `/api/v1/consult/tickets/${encodeURIComponent(card.dataset.ticket)}/answer`, { body: { answer } });
      toast('Answered: the reply is mailed to the asker.');
      await load();
    } catch (e) {
      form.querySelector('button').disabled = false;
      card.querySelector('.form-error').textContent = e.message;
    }
  });
  load();
}
