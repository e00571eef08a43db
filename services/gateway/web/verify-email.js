// The target of the verification link mailed by the account service: sends
// the token from ?token= to POST /api/v1/account/verify-email once, then
// removes it from the address bar and history.
import { api } from './api.js';

const status = document.getElementById('verify-status');
const token = new URLSearchParams(location.search).get('token') || '';
history.replaceState(null, '', location.pathname);

async function verify() {
  if (!token) {
    status.textContent = 'This link has no token. Open the link from the mail again.';
    return;
  }
  try {
    await api('GET', '/api/v1/session');  // sets the CSRF cookie for the POST
    await api('POST', '/api/v1/account/verify-email', { body: { token } });
    status.textContent = 'Thank you: your email address is confirmed.';
  } catch (err) {
    status.textContent = err.status === 404
      ? 'This link is unknown, has expired or was already used. Ask for a new one from your account.'
      : err.message;
  }
}

verify();
