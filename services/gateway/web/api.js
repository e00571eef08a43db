// Talks to the gateway: JSON in and out, the CSRF token from the oe_csrf
// cookie on every request (state-changing ones need it; a metered code-page
// read needs it or Sec-Fetch-Site to spend a view), errors as thrown
// ApiError with the gateway's message for people.
// "14400 seconds" -> "4 hours": waits read as people say them.
export function readableWait(seconds) {
  const s = Number(seconds);
  if (!(s > 0)) return 'a moment';
  const units = [['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [name, size] of units) {
    if (s >= size) { const n = Math.round(s / size); return `${n} ${name}${n === 1 ? '' : 's'}`; }
  }
  return `${Math.ceil(s)} second${Math.ceil(s) === 1 ? '' : 's'}`;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(String(body?.error?.message || `Request failed (${status})`)
      .replace(/\b(\d+) ?(?:s|secs?|seconds?)\b/g, (m, n) => readableWait(n)));
    this.status = status;
    this.requestId = body?.error?.requestId || '';
    // Errors on our side (5xx) name their trace id, so that a person can
    // quote it and support can find every service's log lines.
    this.traceId = body?.error?.traceId || '';
    if (status >= 500 && this.traceId) this.message += ` (trace id ${this.traceId})`;
    this.retryAfter = 0;
  }
}

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)oe_csrf=([^;]+)/);
  return m ? m[1] : '';
}

export async function api(method, path, { query, body, signal, headers: extra } = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
  }
  const headers = { Accept: 'application/json', ...(extra || {}) };
  if (csrfToken()) headers['X-CSRF-Token'] = csrfToken();
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = csrfToken();
  }
  const res = await fetch(url, {
    method, headers, signal, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    err.retryAfter = Number(res.headers.get('Retry-After') || 0);
    throw err;
  }
  return data;
}

// Primes the CSRF cookie (a GET sets it when missing) before the first POST.
export async function ensureCsrf() {
  if (!csrfToken()) await api('GET', '/api/v1/session');
}
