// Registering and logging in. The account page itself is account.js.
import { api, ensureCsrf } from './api.js';
import { refreshSession } from './ui.js';

function formValues(form) { return Object.fromEntries(new FormData(form).entries()); }

export function registerView(view) {
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

export function loginView(view) {
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
