// What every view module shares and nothing else: HTML escaping, the toast
// and the session state app.js keeps current. It imports nothing, so views
// can use it without importing app.js (which imports the views).
export const esc = (s) => String(s ?? '').replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

export const state = { session: null };

// The caller's roles ("ROLE_EMPLOYER", ...); empty for guests.
export const roles = () => state.session?.session?.roles || [];

export function toast(message) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 5000);
}

// app.js registers how the header's session line is refreshed, so views can
// ask for it (a page view spends a view) without importing app.js.
let sessionRefresher = async () => {};
export function setSessionRefresher(fn) { sessionRefresher = fn; }
export const refreshSession = () => sessionRefresher();
