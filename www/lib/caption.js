// A lesson caption's Markdown, turned into DOM nodes (never HTML): paragraphs (separated by a
// blank line), lists ("- " or "* " items; "1. " numbered), $$…$$ display maths (a block of its
// own or inline), and inline `code`, **strong**, *emphasis*, $…$ maths. A backslash makes the
// next of \ ` * $ literal. Anything else is text. Maths goes through KaTeX (lib/i18n.js tex(),
// typeset when KaTeX has loaded), which builds its own nodes and trusts no command (no \href).

import { tex } from './i18n.js';

const INLINE = /(\\[\\`*$]|`[^`\n]+`|\$\$[^$]+\$\$|\$[^$\n]+\$|\*\*(?:[^*\\]|\\.)+\*\*|\*[^*\s](?:[^*\\]|\\.)*\*)/;
const BULLET = /^\s*[-*]\s+/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+/;

/** Appends the inline content of `text` to `el`. */
function inline(el, text) {
  for (const part of text.split(INLINE)) {
    if (!part) continue;
    const doc = el.ownerDocument;
    if (part.length === 2 && part[0] === '\\') el.append(part[1]);
    else if (part[0] === '`') el.append(Object.assign(doc.createElement('code'), { textContent: part.slice(1, -1) }));
    else if (part.startsWith('$$')) el.append(tex(doc.createElement('span'), part.slice(2, -2), true));
    else if (part[0] === '$') el.append(tex(doc.createElement('span'), part.slice(1, -1), false));
    else if (part.startsWith('**')) el.append(inline(doc.createElement('strong'), part.slice(2, -2)));
    else if (part[0] === '*' && part.length > 2) el.append(inline(doc.createElement('em'), part.slice(1, -1)));
    else el.append(part);
  }
  return el;
}

/** The blocks of `source`: [{ kind: 'p' | 'ul' | 'ol' | 'math', lines }]. */
function blocks(source) {
  const out = [];
  let open = null;
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    if (open?.kind === 'math') {
      open.lines.push(line);
      if (line.endsWith('$$')) open = null;
      continue;
    }
    if (!line.trim()) { open = null; continue; }
    const kind = BULLET.test(line) ? 'ul' : NUMBERED.test(line) ? 'ol' : line.trim().startsWith('$$') ? 'math' : 'p';
    if (kind === 'math') {
      open = { kind, lines: [line.trim()] };
      out.push(open);
      if (line.trim().length > 2 && line.endsWith('$$')) open = null;
    } else if (open && (open.kind === kind || (kind === 'p' && open.kind !== 'p'))) {
      // A list item's continuation line joins it; a paragraph's next line joins the paragraph.
      if (kind === 'p' && open.kind !== 'p') open.lines[open.lines.length - 1] += ` ${line.trim()}`;
      else open.lines.push(line);
    } else {
      open = { kind, lines: [line] };
      out.push(open);
    }
  }
  return out;
}

/** Fills `el` with the caption `source` (Markdown subset above) and returns it. */
export function renderCaption(el, source) {
  const doc = el.ownerDocument;
  el.replaceChildren();
  for (const { kind, lines } of blocks(String(source ?? ''))) {
    if (kind === 'math') {
      const body = lines.join('\n').replace(/^\$\$/, '').replace(/\$\$$/, '');
      el.append(tex(doc.createElement('div'), body, true));
    } else if (kind === 'p') {
      el.append(inline(doc.createElement('p'), lines.map((l) => l.trim()).join(' ')));
    } else {
      const list = doc.createElement(kind);
      for (const item of lines) list.append(inline(doc.createElement('li'), item.replace(kind === 'ul' ? BULLET : NUMBERED, '')));
      el.append(list);
    }
  }
  return el;
}
