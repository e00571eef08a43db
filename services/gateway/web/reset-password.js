// "Forgot password": without ?token= it asks for the address and posts it to
// /api/v1/account/password-reset (the answer is the same for any address);
// opened from the mailed link it takes the token out of the address bar and
// posts it with the new password to /api/v1/account/reset-password, once.
import { api, ensureCsrf } from './api.js';

const status = document.getElementById('reset-status');
const token = new URLSearchParams(location.search).get('token') || '';
history.replaceState(null, '', location.pathname);

const requestForm = document.getElementById('request-form');
const resetForm = document.getElementById('reset-form');
(token ? resetForm : requestForm).hidden = false;

requestForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await ensureCsrf();
    await api('POST', '/api/v1/account/password-reset',
      { body: { email: requestForm.elements.email.value } });
    requestForm.hidden = true;
    status.textContent = 'If an account has this address, a link is on its way. It works once, for 30 minutes.';
  } catch (err) {
    status.textContent = err.message;
  }
});

resetForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await ensureCsrf();
    await api('POST', '/api/v1/account/reset-password',
      { body: { token, newPassword: resetForm.elements.newPassword.value } });
    resetForm.hidden = true;
    status.textContent = 'Your password is changed and every session was signed out. Log in with the new password.';
  } catch (err) {
    status.textContent = err.status === 404
      ? 'This link is unknown, has expired or was already used. Ask for a new one.'
      : err.message;
  }
});
