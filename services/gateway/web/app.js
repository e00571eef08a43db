// OpenEncoder web client: plain ES modules, no build step. Views are chosen
// by the URL hash (#/code/ICD10CM/E119), so the gateway serves one page.
import { api, ensureCsrf } from './api.js';
import { jobsView, jobView, myJobsView } from './jobs.js';
import { employerView } from './employer.js';
import { adminView } from './admin.js';
import { accountView, pricingView } from './account.js';
import { chatView } from './chat.js';
import { codeView } from './code_page.js';
import { consultView, consultantView } from './consult.js';
import { claimView } from './claim.js';
import { searchView } from './search.js';
import { loginView, registerView } from './sign_in.js';
import { esc, setSessionRefresher, state, toast } from './ui.js';

// Re-exported for modules that still import them from here.
export { esc, state, toast };

const view = document.getElementById('view');


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
  document.getElementById('nav-consultant').hidden = !roles.includes('ROLE_CONSULTANT');
  document.getElementById('nav-employer').hidden = !roles.includes('ROLE_EMPLOYER') && !roles.includes('ROLE_ADMIN');
}

setSessionRefresher(refreshSession);

// ------------------------------------------------------------------ router
async function route() {
  const [path, qs] = (location.hash.slice(1) || '/').split('?');
  const params = new URLSearchParams(qs || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  view.focus({ preventScroll: true });
  if (parts[0] === 'code' && parts.length >= 3) {
    sessionStorage.setItem('oe:last-code', location.hash);
    return codeView(view, parts[1], parts[2], params);
  }
  if (parts[0] === 'register') return registerView(view);
  if (parts[0] === 'login') return loginView(view);
  if (parts[0] === 'claim') return claimView(view);
  if (parts[0] === 'chat') return chatView(view);
  if (parts[0] === 'jobs' && parts[1]) return jobView(view, parts[1]);
  if (parts[0] === 'jobs') return jobsView(view, params);
  if (parts[0] === 'my-jobs') return myJobsView(view);
  if (parts[0] === 'employer') return employerView(view, parts.slice(1));
  if (parts[0] === 'admin') return adminView(view);
  if (parts[0] === 'account') return accountView(view);
  if (parts[0] === 'pricing') return pricingView(view);
  if (parts[0] === 'consult') return consultView(view);
  if (parts[0] === 'consultant') return consultantView(view, params);
  return searchView(view, params);
}

document.getElementById('skip-link').addEventListener('click', (ev) => {
  // The hash is the router's: move focus without changing it.
  ev.preventDefault();
  view.focus();
});
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
