// Validates the gateway's live /openapi.json with a standard OpenAPI
// validator (@apidevtools/swagger-parser: the OpenAPI 3.0 JSON schema plus
// $ref resolution, so a reference to a schema the document does not define
// fails), and checks that the CareerCenter and moderation routes are listed.
//   node validate_openapi.mjs http://127.0.0.1:PORT/openapi.json
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';

const url = process.argv[2];
assert.ok(url, 'usage: validate_openapi.mjs <url of openapi.json>');
const res = await fetch(url);
assert.equal(res.status, 200, `GET ${url}`);
const doc = await res.json();
// validate() dereferences in place; keep the original for the route checks.
const paths = Object.keys(doc.paths);
try {
  await SwaggerParser.validate(structuredClone(doc));
} catch (e) {
  console.log(`not ok - the document is not valid OpenAPI: ${e.message}`);
  process.exit(1);
}
console.log(`ok - valid OpenAPI ${doc.openapi}, ${paths.length} paths`);

const want = [
  ...['get', 'post'].map((m) => [m, '/api/v1/consult/questions']), ['get', '/api/v1/consult/tickets'], ['get', '/api/v1/consult/tickets/{ticket_id}'], ['post', '/api/v1/consult/tickets/{ticket_id}/claim'], ['post', '/api/v1/consult/tickets/{ticket_id}/answer'],
  ['get', '/api/v1/jobs'], ['get', '/api/v1/jobs/{posting_id}'], ['post', '/api/v1/jobs/{posting_id}/apply'],
  ['post', '/api/v1/jobs/{posting_id}/save'], ['delete', '/api/v1/jobs/{posting_id}/save'],
  ['get', '/api/v1/me/applications'], ['delete', '/api/v1/me/applications/{application_id}'],
  ['get', '/api/v1/me/saved-jobs'], ['get', '/api/v1/me/postings'], ['post', '/api/v1/postings'],
  ['put', '/api/v1/postings/{posting_id}'], ['post', '/api/v1/postings/{posting_id}/publish'],
  ['post', '/api/v1/postings/{posting_id}/close'], ['post', '/api/v1/postings/{posting_id}/renew'],
  ['get', '/api/v1/postings/{posting_id}/applicants'],
  ['post', '/api/v1/postings/{posting_id}/applicants/{application_id}/review'],
  ['get', '/api/v1/admin/postings/pending'], ['post', '/api/v1/admin/postings/{posting_id}/review'],
  // Account page and billing.
  ['get', '/api/v1/sessions'], ['delete', '/api/v1/sessions/{session_id}'], ['post', '/api/v1/account/password'],
  ['post', '/api/v1/account/verification-email'], ['post', '/api/v1/account/delete'],
  ['get', '/api/v1/billing'], ['post', '/api/v1/billing/checkout'], ['post', '/api/v1/billing/webhook'],
  ['post', '/api/v1/admin/accounts/{account_id}/plan'],
];
const missing = want.filter(([m, p]) => !doc.paths[p]?.[m]).map(([m, p]) => `${m.toUpperCase()} ${p}`);
if (missing.length) {
  console.log(`not ok - routes missing from the document: ${missing.join(', ')}`);
  process.exit(1);
}
// Every state-changing operation documents the CSRF header it needs.
const unguarded = [];
for (const [p, ops] of Object.entries(doc.paths)) {
  for (const [m, op] of Object.entries(ops)) {
    if (['post', 'put', 'patch', 'delete'].includes(m) &&
        !op['x-csrf-exempt'] &&
        !(op.parameters || []).some((x) => x.in === 'header' && x.name === 'X-CSRF-Token')) unguarded.push(`${m.toUpperCase()} ${p}`);
  }
}
if (unguarded.length) {
  console.log(`not ok - state-changing routes without the X-CSRF-Token header documented: ${unguarded.join(', ')}`);
  process.exit(1);
}
// The signed webhook is the one billing write without the CSRF check.
if (!doc.paths['/api/v1/billing/webhook'].post['x-csrf-exempt']) {
  console.log('not ok - the billing webhook is signed, not CSRF-checked, and must say so');
  process.exit(1);
}
console.log(`ok - all ${want.length} CareerCenter, moderation, account and billing routes listed; writes document X-CSRF-Token`);
