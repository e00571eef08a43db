// Talks to the gateway: JSON in and out, the CSRF token from the oe_csrf
// cookie on every state-changing request, errors as thrown ApiError with the
// gateway's message for people.
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `Request failed (${status})`);
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

export async function api(method, path, { query, body, signal } = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
  }
  const headers = { Accept: 'application/json' };
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
