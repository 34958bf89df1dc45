// A small, safe Markdown renderer for the web chat. Every piece of text is HTML-escaped first;
// only then are a few Markdown forms turned into tags: paragraphs and line breaks, **bold**,
// *italic*, ~~strike~~, `code`, fenced code blocks, headings, lists, quotes and http(s) links.
// Nothing the bot or a user wrote is ever inserted as HTML.

const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML content and quoted attributes. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (character) => escapes[character]);
}

const link = (href, label) =>
  `<a href="${href}" target="_blank" rel="noopener noreferrer nofollow">${label}</a>`;

/** Bold, italic, strike and links in text that is already escaped. */
function emphasis(html) {
  const links = [];
  const keep = (markup) => {
    links.push(markup);
    return `\ue000${links.length - 1}\ue000`;
  };
  let out = html
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s()]+)\)/g, (_, label, href) =>
      keep(link(href, label)),
    )
    .replace(/https?:\/\/[^\s<\ue000]+/g, (match) => {
      const url = match.replace(/[.,!?:;]+$/, '').replace(/&(?:quot|#39);$/, '');
      return keep(link(url, url)) + match.slice(url.length);
    });
  out = out
    .replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/__(?=\S)([^_\n]*?\S)__/g, '<strong>$1</strong>')
    .replace(/~~(?=\S)([^~\n]*?\S)~~/g, '<del>$1</del>')
    .replace(/(^|[\s(>])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s).,!?:;<])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(>])_(?=\S)([^_\n]*?\S)_(?=$|[\s).,!?:;<])/g, '$1<em>$2</em>');
  return out.replace(/\ue000(\d+)\ue000/g, (_, index) => links[Number(index)]);
}

/** Inline Markdown of one block: code spans are kept literally, the rest gets emphasis. */
function inline(text) {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, index) =>
      index % 2 === 1
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : emphasis(escapeHtml(part)),
    )
    .join('')
    .replace(/\n/g, '<br>');
}

const fence = /^\s*```\s*([\w+-]*)\s*$/;
const heading = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const bullet = /^\s*[-*+]\s+(.*)$/;
const numbered = /^\s*\d{1,9}[.)]\s+(.*)$/;
const quote = /^\s*>\s?(.*)$/;

/**
 * Renders a small subset of Markdown as HTML, escaping everything first.
 *
 * @example
 * renderMarkdown('**Hi** <b>') // → '<p><strong>Hi</strong> &lt;b&gt;</p>'
 */
export function renderMarkdown(source) {
  // \ue000 (a private-use character) marks the links kept aside above: it may not come in.
  const lines = String(source)
    .replace(/\r\n?/g, '\n')
    .replace(/\ue000/g, '')
    .split('\n');
  const blocks = [];
  let index = 0;
  const collect = (pattern) => {
    const items = [];
    while (index < lines.length && pattern.test(lines[index])) {
      items.push(pattern.exec(lines[index])[1]);
      index += 1;
    }
    return items;
  };
  while (index < lines.length) {
    const line = lines[index];
    if (fence.test(line)) {
      index += 1;
      const code = [];
      while (index < lines.length && !/^\s*```\s*$/.test(lines[index])) {
        code.push(lines[index]);
        index += 1;
      }
      index += 1;
      blocks.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
    } else if (heading.test(line)) {
      const [, marks, title] = heading.exec(line);
      const level = marks.length <= 2 ? 3 : 4;
      blocks.push(`<h${level}>${inline(title)}</h${level}>`);
      index += 1;
    } else if (bullet.test(line)) {
      blocks.push(
        `<ul>${collect(bullet)
          .map((item) => `<li>${inline(item)}</li>`)
          .join('')}</ul>`,
      );
    } else if (numbered.test(line)) {
      blocks.push(
        `<ol>${collect(numbered)
          .map((item) => `<li>${inline(item)}</li>`)
          .join('')}</ol>`,
      );
    } else if (quote.test(line)) {
      blocks.push(`<blockquote>${inline(collect(quote).join('\n'))}</blockquote>`);
    } else if (!line.trim()) {
      index += 1;
    } else {
      const paragraph = [];
      while (
        index < lines.length &&
        lines[index].trim() &&
        ![fence, heading, bullet, numbered, quote].some((pattern) => pattern.test(lines[index]))
      ) {
        paragraph.push(lines[index]);
        index += 1;
      }
      blocks.push(`<p>${inline(paragraph.join('\n'))}</p>`);
    }
  }
  return blocks.join('');
}
