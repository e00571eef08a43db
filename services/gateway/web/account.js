// The account page (#/account) and the pricing page (#/pricing).
// Account: the address and its verification, the plan and subscription as
// the payment provider last reported it, the sessions (device, network,
// last seen) with "Sign out" for each other one, the password change
// (which signs out every other session) and deleting the account.
// Pricing: the plans; "Upgrade to Pro" asks the gateway for the payment
// provider's hosted checkout and sends the browser there. The provider's
// signed webhook, not this page, changes the plan. Without a provider the
// page says so and who can set the plan instead.
import { api, ensureCsrf } from './api.js';
import { esc, refreshSession, state, toast } from './ui.js';

const PLAN_NAMES = { PLAN_GUEST: 'Guest', PLAN_FREE: 'Free', PLAN_PRO: 'Pro', PLAN_ENTERPRISE: 'Enterprise' };
const planName = (p) => PLAN_NAMES[p] || 'Free';
const when = (t) => (t ? new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '');
const dayOf = (t) => (t ? new Date(t).toLocaleDateString(undefined, { dateStyle: 'long' }) : '');

// "Mozilla/5.0 (X11; Linux x86_64) ... Chrome/120.0 Safari/537.36" -> "Chrome on Linux".
export function deviceName(ua) {
  const s = String(ua || '');
  if (!s) return 'Unknown device';
  const browser = /Edg\//.test(s) ? 'Edge' : /Firefox\//.test(s) ? 'Firefox'
    : /Chrom(e|ium)\//.test(s) ? 'Chrome' : /Safari\//.test(s) ? 'Safari' : s.split(/[\s/]/)[0];
  const os = /Windows/.test(s) ? 'Windows' : /Android/.test(s) ? 'Android' : /iPhone|iPad/.test(s) ? 'iOS'
    : /Mac OS X/.test(s) ? 'macOS' : /Linux/.test(s) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

function signedInOrAsk(view, title) {
  if (state.session?.signedIn) return true;
  view.innerHTML = `<section class="card narrow empty"><h1>${esc(title)}</h1>
    <p>Log in to see your account.</p>
    <p><a class="button" href="#/login">Log in</a> or <a href="#/register">register</a></p></section>`;
  return false;
}

function billingHtml(b) {
  const plan = planName(b.plan);
  const lines = [`<p>Your plan: <strong id="billing-plan">${esc(plan)}</strong></p>`];
  const paid = b.plan === 'PLAN_PRO' || b.plan === 'PLAN_ENTERPRISE';
  if (paid && b.status && b.status !== 'none') {
    lines.push(b.cancelAtPeriodEnd
      ? `<p id="billing-status">Cancelled: Pro stays until ${esc(dayOf(b.currentPeriodEnd) || 'the end of the paid period')}, then the plan becomes Free.</p>`
      : `<p id="billing-status">Subscription ${esc(b.status)}${b.currentPeriodEnd ? `, renews on ${esc(dayOf(b.currentPeriodEnd))}` : ''}.</p>`);
  }
  if (b.paymentFailedAt) {
    lines.push(`<p class="warn">A payment failed on ${esc(dayOf(b.paymentFailedAt))}. The provider retries it; update your card to keep Pro.</p>`);
  }
  if (b.manageUrl && paid) {
    lines.push(`<p><a id="manage-billing" href="${esc(b.manageUrl)}" rel="noopener">Manage or cancel the subscription</a> (at the payment provider)</p>`);
  }
  if (!paid) lines.push('<p><a id="to-pricing" class="button" href="#/pricing">Upgrade to Pro</a> for unlimited code pages.</p>');
  return lines.join('');
}

function sessionsHtml(list) {
  if (!list.length) return '<p class="muted">No sessions.</p>';
  return `<ul class="sessions">${list.map((s) => `
    <li data-session="${esc(s.sessionId)}">
      <strong>${esc(deviceName(s.userAgent))}</strong>
      <span class="muted">${esc(s.clientAddress || '')} · last seen ${esc(when(s.lastSeenAt || s.createdAt))}</span>
      ${s.current ? '<span class="tag">This browser</span>'
        : `<button type="button" class="revoke" data-session="${esc(s.sessionId)}">Sign out</button>`}
    </li>`).join('')}</ul>`;
}

export async function accountView(view) {
  if (!signedInOrAsk(view, 'Your account')) return;
  const a = state.session.account || {};
  const checkoutDone = location.hash.includes('checkout=done');
  view.innerHTML = `
    <section class="account">
      <h1>Your account</h1>
      ${checkoutDone ? '<p class="ok" id="checkout-done">Thank you. Your plan changes as soon as the payment provider confirms the payment.</p>' : ''}
      <section class="card"><h2>Email</h2>
        <p>${esc(a.email)} — ${a.emailVerified ? 'confirmed' : '<span class="warn">not confirmed yet</span>'}</p>
        ${a.emailVerified ? '' : `<p><button id="resend-verification" type="button">Send the confirmation link again</button></p>`}
        <p id="verification-result" role="status"></p></section>
      <section class="card" id="billing" aria-live="polite"><h2>Plan and billing</h2><p class="muted">Loading…</p></section>
      <section class="card"><h2>Where you are signed in</h2><div id="sessions" aria-live="polite"></div></section>
      <section class="card"><h2>Change password</h2>
        <form id="password-form">
          <label>Current password <input name="currentPassword" type="password" required autocomplete="current-password"></label>
          <label>New password <input name="newPassword" type="password" required minlength="8" autocomplete="new-password"></label>
          <button type="submit">Change password</button>
          <p class="form-error" role="alert"></p><p class="ok" role="status"></p>
        </form><p class="muted">Changing it signs out every other browser.</p></section>
      <section class="card danger"><h2>Delete account</h2>
        <p>This removes your email address, name, password, sessions, the codes you viewed and your questions' counts.
        Nothing that identifies you is kept; only anonymous counters (such as how many accounts came from a network today) stay until they expire.</p>
        <form id="delete-form">
          <label>Password <input name="password" type="password" required autocomplete="current-password"></label>
          <label class="check"><input name="confirm" type="checkbox" required> I understand this cannot be undone</label>
          <button type="submit" class="danger">Delete my account</button>
          <p class="form-error" role="alert"></p>
        </form></section>
    </section>`;

  const billingBox = view.querySelector('#billing');
  const loadBilling = async () => {
    try {
      const r = await api('GET', '/api/v1/billing');
      billingBox.innerHTML = `<h2>Plan and billing</h2>${billingHtml(r.billing || {})}`;
      return r.billing || {};
    } catch (e) {
      billingBox.innerHTML = `<h2>Plan and billing</h2><p class="form-error">${esc(e.message)}</p>`;
      return {};
    }
  };
  const sessionsBox = view.querySelector('#sessions');
  const loadSessions = async () => {
    try {
      const r = await api('GET', '/api/v1/sessions');
      sessionsBox.innerHTML = sessionsHtml(r.sessions || []);
    } catch (e) { sessionsBox.innerHTML = `<p class="form-error">${esc(e.message)}</p>`; }
  };
  sessionsBox.addEventListener('click', async (ev) => {
    const button = ev.target.closest('button.revoke');
    if (!button) return;
    button.disabled = true;
    try {
      await ensureCsrf();
      await api('DELETE', `/api/v1/sessions/${encodeURIComponent(button.dataset.session)}`);
      toast('That browser is signed out.');
    } catch (e) { toast(e.message); }
    await loadSessions();
  });

  view.querySelector('#resend-verification')?.addEventListener('click', async (ev) => {
    const out = view.querySelector('#verification-result');
    ev.target.disabled = true;
    try {
      await ensureCsrf();
      await api('POST', '/api/v1/account/verification-email', { body: {} });
      out.textContent = `We sent a new confirmation link to ${a.email}.`;
    } catch (e) { out.textContent = e.message; ev.target.disabled = false; }
  });

  const pw = view.querySelector('#password-form');
  pw.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const [err, ok] = [pw.querySelector('.form-error'), pw.querySelector('.ok')];
    err.textContent = ''; ok.textContent = '';
    try {
      await ensureCsrf();
      const r = await api('POST', '/api/v1/account/password', { body: Object.fromEntries(new FormData(pw)) });
      const n = Number(r.sessionsEnded || 0);
      ok.textContent = `Password changed. ${n} other session${n === 1 ? '' : 's'} signed out.`;
      pw.reset();
      await loadSessions();
    } catch (e) { err.textContent = e.message; }
  });

  const del = view.querySelector('#delete-form');
  del.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await ensureCsrf();
      const r = await api('POST', '/api/v1/account/delete', { body: { password: new FormData(del).get('password') } });
      await refreshSession();
      view.innerHTML = `<section class="card narrow" id="account-deleted"><h1>Your account is deleted</h1>
        <p>What we kept: ${esc(r.kept || 'nothing that identifies you.')}</p><p><a href="#/">Back to search</a></p></section>`;
    } catch (e) { del.querySelector('.form-error').textContent = e.message; }
  });

  await loadSessions();
  const billing = await loadBilling();
  // Back from the provider's checkout: the webhook usually lands within
  // seconds; look again a few times instead of asking for a reload.
  if (checkoutDone && billing.plan !== 'PLAN_PRO') {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      if ((await loadBilling()).plan === 'PLAN_PRO') { await refreshSession(); break; }
    }
  }
}

export async function pricingView(view) {
  const signedIn = !!state.session?.signedIn;
  const plan = state.session?.account?.plan;
  view.innerHTML = `
    <section class="pricing"><h1>Plans</h1>
      <div class="plans">
        <article class="card"><h2>Guest</h2><p>1 code page a month, search and claim checks.</p></article>
        <article class="card"><h2>Free</h2><p>6 code pages a month once your email is confirmed.</p></article>
        <article class="card featured"><h2>Pro</h2><p><strong>Unlimited code pages</strong>, unlimited CasePilot questions.</p>
          <div id="pro-action"></div><p id="checkout-error" class="form-error" role="alert"></p></article>
      </div></section>`;
  const action = view.querySelector('#pro-action');
  if (!signedIn) {
    action.innerHTML = '<p><a class="button" href="#/register">Register</a> or <a href="#/login">log in</a> first, then upgrade.</p>';
    return;
  }
  if (plan === 'PLAN_PRO' || plan === 'PLAN_ENTERPRISE') {
    action.innerHTML = `<p id="already-pro">You have ${esc(planName(plan))}. <a href="#/account">Manage it on your account page</a>.</p>`;
    return;
  }
  let billing = {};
  try { billing = (await api('GET', '/api/v1/billing')).billing || {}; } catch (e) { toast(e.message); }
  if (!billing.providerConfigured) {
    action.innerHTML = `<p id="no-provider">Online payment is not set up on this server.
      An operator can give your account Pro with <code>scripts/oe-admin set-plan</code>.</p>`;
    return;
  }
  action.innerHTML = '<button id="checkout" type="button">Upgrade to Pro</button><p class="muted">You pay on the payment provider\'s page and come back here.</p>';
  view.querySelector('#checkout').addEventListener('click', async (ev) => {
    ev.target.disabled = true;
    try {
      await ensureCsrf();
      const r = await api('POST', '/api/v1/billing/checkout', { body: {} });
      location.assign(r.checkoutUrl);
    } catch (e) {
      view.querySelector('#checkout-error').textContent = e.message;
      ev.target.disabled = false;
    }
  });
}
