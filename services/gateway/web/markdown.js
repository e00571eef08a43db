// A small Markdown renderer for the assistant's answers: the text is escaped
// first, so nothing the model writes can become HTML of its own; then
// **bold**, *italic*, `code`, "- " bullet lists, "1. " numbered lists and
// paragraphs are rendered. Codes the answer cites become links to their
// pages when `codes` maps them ({ "E11.9": "ICD10CM", ... }).
const escHtml = (s) => String(s ?? '').replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function inline(text, codes) {
  let out = escHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
  const known = Object.keys(codes || {});
  if (known.length) {
    // Longest first so E11.9 wins over E11; word boundaries so 9921 is not in 99213.
    const pattern = known.sort((a, b) => b.length - a.length)
      .map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    out = out.replace(new RegExp(`(^|[^A-Za-z0-9.>/])(${pattern})(?![A-Za-z0-9])`, 'g'),
      (m, pre, code) => `${pre}<a href="#/code/${codes[code]}/${encodeURIComponent(code.replace('.', ''))}">${code}</a>`);
  }
  return out;
}

export function renderMarkdown(text, codes) {
  const lines = String(text ?? '').replace(/\r/g, '').split('\n');
  const html = [];
  let list = null;
  let para = [];
  const flushPara = () => { if (para.length) { html.push(`<p>${para.map((l) => inline(l, codes)).join('<br>')}</p>`); para = []; } };
  const flushList = () => { if (list) { html.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i, codes)}</li>`).join('')}</${list.tag}>`); list = null; } };
  for (const raw of lines) {
    const line = raw.trimEnd();
    const bullet = line.match(/^\s*[-*]\s+(.*)$/);
    const numbered = line.match(/^\s*\d+[.)]\s+(.*)$/);
    const heading = line.match(/^#{1,6}\s+(.*)$/);
    if (bullet || numbered) {
      flushPara();
      const tag = bullet ? 'ul' : 'ol';
      if (list && list.tag !== tag) flushList();
      if (!list) list = { tag, items: [] };
      list.items.push((bullet || numbered)[1]);
    } else if (heading) {
      flushPara(); flushList();
      html.push(`<p><strong>${inline(heading[1], codes)}</strong></p>`);
    } else if (!line.trim()) {
      flushPara(); flushList();
    } else {
      flushList();
      para.push(line);
    }
  }
  flushPara(); flushList();
  return html.join('');
}
