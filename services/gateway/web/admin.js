// The moderation console (#/admin, admins only): postings waiting for
// approval, oldest first, each shown in full exactly as it will go live.
// The decision carries the version on screen, so if the employer edits the
// posting meanwhile the service refuses (409) and the console shows the new
// version instead of approving one nobody read.
import { api, ensureCsrf } from './api.js';
import { day, postingHtml } from './jobs.js';
import { esc, roles, toast } from './ui.js';

export async function adminView(view) {
  if (!roles().includes('ROLE_ADMIN')) {
    view.innerHTML = '<section class="card empty"><h1>Moderation</h1><p>This page is for administrators.</p></section>';
    return;
  }
  view.innerHTML = `
    <section><h1>Postings waiting for approval</h1>
      <p class="muted">Approving publishes the version shown and trusts the employer's later postings.</p>
      <p id="pending-count" class="muted" aria-live="polite"></p>
      <div id="pending"></div></section>`;
  const box = view.querySelector('#pending');
  const load = async () => {
    let res;
    try { res = await api('GET', '/api/v1/admin/postings/pending', { query: { pageSize: 50 } }); } catch (e) {
      box.innerHTML = `<p class="form-error">${esc(e.message)}</p>`;
      return;
    }
    const postings = res.postings || [];
    view.querySelector('#pending-count').textContent = postings.length
      ? `${postings.length} posting${postings.length === 1 ? '' : 's'} to review` : '';
    box.innerHTML = postings.map((p) => `
      <article class="card pending" data-posting="${esc(p.postingId)}" data-version="${esc(p.version)}">
        <p class="muted">Version ${esc(p.version)} · submitted ${esc(day(p.updatedAt))} · employer ${esc((p.employerAccountId || '').slice(0, 8))}</p>
        ${postingHtml(p)}
        <form class="review-form">
          <label>Reason (required to reject; shown to the employer)
            <textarea name="note" rows="2" maxlength="2000"></textarea></label>
          <button type="submit" data-approve="true">Approve version ${esc(p.version)}</button>
          <button type="submit" data-approve="false" class="danger">Reject</button>
          <p class="form-error" role="alert"></p>
        </form>
      </article>`).join('')
      || '<p class="card empty" id="queue-empty">Nothing to review. New employers\' first postings appear here when they publish them.</p>';
  };
  box.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const card = form.closest('article');
    const approve = ev.submitter?.dataset.approve === 'true';
    const note = form.elements.note.value.trim();
    const error = form.querySelector('.form-error');
    if (!approve && !note) { error.textContent = 'Say why the posting is rejected; the employer reads it.'; return; }
    try {
      await ensureCsrf();
      await api('POST', `/api/v1/admin/postings/${encodeURIComponent(card.dataset.posting)}/review`, {
        body: { approve, note, expectedVersion: card.dataset.version },
      });
      toast(approve ? 'Approved: the posting is live.' : 'Rejected: the employer sees your reason.');
      load();
    } catch (e) {
      if (e.status === 409) {
        // Changed under us (or decided by another admin): show what is
        // current; nothing was approved.
        toast(e.message);
        await load();
        return;
      }
      error.textContent = e.message;
    }
  });
  load();
}
