// The web chat's Markdown parser. It turns text into a neutral tree of plain objects (blocks
// holding inline nodes holding strings); markdown-dom.js builds DOM nodes from the tree with
// textContent only. Nothing here produces HTML, so nothing the bot or a user wrote can become
// markup. Every step runs in time linear in the text (no backtracking regular expressions, no
// rescans): hostile input such as 10,000 `[` costs what its length costs.

/** The longest link destination looked at; longer ones are left as text. */
const maxDestinationLength = 2048;

/** The bot's own files: `/api/v1/artifacts/<id>` (what the web adapter's file links look like). */
const artifactPath = /^\/?api\/v1\/artifacts\/[A-Za-z0-9_-]{24}$/;

/**
 * The link a destination may become: an absolute http(s) or mailto URL, normalized; anything
 * else (`javascript:`, `data:`, relative paths, control characters) gives undefined.
 *
 * @example
 * safeHref('https://example.org/a b') // → undefined (spaces are not part of a destination)
 * safeHref('javascript:alert(1)')     // → undefined
 */
export function safeHref(destination) {
  const text = String(destination);
  // Browsers drop tabs and newlines inside URLs ("java\nscript:"): refuse any control character.
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code <= 0x20 || code === 0x7f) return undefined;
  }
  if (!/^(?:https?:\/\/|mailto:)/i.test(text)) return undefined;
  let url;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol === 'mailto:') return url.pathname.includes('@') ? url.href : undefined;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.hostname ? url.href : undefined;
}

/** The path of one of the bot's own files, or undefined: only those are shown as images. */
export function artifactImagePath(destination) {
  const text = String(destination);
  return artifactPath.test(text) ? `/${text.replace(/^\//, '')}` : undefined;
}

const isSpace = (character) =>
  character === undefined ||
  character === ' ' ||
  character === '\n' ||
  character === '\t' ||
  (character > '~' && /\s/.test(character));
const isWordCharacter = (character) =>
  character !== undefined &&
  ((character >= 'a' && character <= 'z') ||
    (character >= 'A' && character <= 'Z') ||
    (character >= '0' && character <= '9') ||
    (character > '~' && /[\p{L}\p{N}]/u.test(character)));

/**
 * Pairs up the text's backticks (each one with the next) and its square brackets (each `]`
 * with the nearest open `[`), outside code spans: one pass, so lookups later are O(1).
 */
function pairDelimiters(text) {
  const code = new Map();
  const brackets = new Map();
  let openTick = -1;
  const openBrackets = [];
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (character === '`') {
      if (openTick < 0) openTick = index;
      else {
        if (index > openTick + 1) code.set(openTick, index);
        openTick = -1;
      }
    } else if (openTick < 0 && character === '[') openBrackets.push(index);
    else if (openTick < 0 && character === ']' && openBrackets.length > 0)
      brackets.set(openBrackets.pop(), index);
  }
  return { code, brackets };
}

/**
 * Reads `(destination)` at `start` (the `(`): the destination and the index after `)`, or
 * undefined. One level of balanced parentheses is allowed, as in Wikipedia URLs.
 */
function readDestination(text, start) {
  if (text[start] !== '(') return undefined;
  let depth = 0;
  const end = Math.min(text.length, start + 1 + maxDestinationLength);
  for (let index = start + 1; index < end; index += 1) {
    const character = text[index];
    if (character === '(') {
      depth += 1;
      if (depth > 1) return undefined;
    } else if (character === ')') {
      if (depth === 0) {
        const destination = text.slice(start + 1, index).trim();
        return destination ? { destination, next: index + 1 } : undefined;
      }
      depth -= 1;
    } else if (character === '\n' || character === '[' || character === ']') return undefined;
  }
  return undefined;
}

/** The length of a bare URL at `start` (`https://...`), without trailing punctuation; 0 if none. */
function bareUrlLength(text, start) {
  if (text[start] !== 'h' || isWordCharacter(text[start - 1])) return 0;
  const head = text.slice(start, start + 8).toLowerCase();
  if (!head.startsWith('https://') && !head.startsWith('http://')) return 0;
  let end = start;
  while (end < text.length && end - start < maxDestinationLength && !/[\s<>"'`]/.test(text[end]))
    end += 1;
  // A closing parenthesis belongs to the URL only when the URL opened one: (see https://x.org).
  let unbalanced = 0;
  for (let index = start; index < end; index += 1)
    if (text[index] === '(') unbalanced -= 1;
    else if (text[index] === ')') unbalanced += 1;
  while (end > start) {
    const last = text[end - 1];
    if (/[.,!?:;*_~\]]/.test(last)) end -= 1;
    else if (last === ')' && unbalanced > 0) {
      end -= 1;
      unbalanced -= 1;
    } else break;
  }
  return end - start;
}

const emphasisKinds = { '*': 'em', _: 'em', '**': 'strong', __: 'strong', '~~': 'del' };

/**
 * Parses the inline Markdown of one block: code spans, links, images, bare URLs, **strong**,
 * *em*, ~~del~~ and line breaks. Emphasis is matched with a stack of openers, as CommonMark's
 * delimiter algorithm does (simplified), so each character and node is handled a bounded number
 * of times.
 */
export function parseInline(text, options = {}) {
  const links = options.links ?? true;
  const { code, brackets } = pairDelimiters(text);
  const out = [];
  /** Open emphasis delimiters: { marker, index in `out` }. */
  const openers = [];
  const openCount = new Map();
  /** Where the pending run of plain text starts; it is cut out of `text` once, when it ends. */
  let textStart = 0;
  let index = 0;
  /** Ends the pending text at `index`, pushes `node`, and goes on at `next`. */
  const emit = (node, next) => {
    if (index > textStart) out.push({ type: 'text', text: text.slice(textStart, index) });
    out.push(node);
    index = next;
    textStart = next;
  };
  while (index < text.length) {
    const character = text[index];
    if (character === '`' && code.has(index)) {
      emit({ type: 'code', text: text.slice(index + 1, code.get(index)) }, code.get(index) + 1);
      continue;
    }
    if (character === '\n') {
      emit({ type: 'break' }, index + 1);
      continue;
    }
    const image = character === '!' && text[index + 1] === '[';
    const bracketAt = image ? index + 1 : index;
    if (links && text[bracketAt] === '[' && brackets.has(bracketAt)) {
      const close = brackets.get(bracketAt);
      const target = readDestination(text, close + 1);
      if (target) {
        const label = text.slice(bracketAt + 1, close);
        const source = image ? artifactImagePath(target.destination) : undefined;
        const href = safeHref(target.destination);
        if (source) {
          emit({ type: 'image', src: source, alt: label }, target.next);
          continue;
        }
        if (href) {
          const children = image
            ? [{ type: 'text', text: label || href }]
            : parseInline(label, { links: false });
          emit({ type: 'link', href, children }, target.next);
          continue;
        }
      }
    }
    const urlLength = links ? bareUrlLength(text, index) : 0;
    if (urlLength > 0) {
      const url = text.slice(index, index + urlLength);
      const href = safeHref(url);
      // Taken whole either way (as a link or as text), so no part of it is scanned again.
      if (href)
        emit({ type: 'link', href, children: [{ type: 'text', text: url }] }, index + urlLength);
      else index += urlLength;
      continue;
    }
    if (character === '*' || character === '_' || character === '~') {
      let end = index;
      while (text[end] === character) end += 1;
      const marker = text.slice(index, end);
      const kind = emphasisKinds[marker];
      if (kind) {
        const before = text[index - 1];
        const after = text[end];
        const intraword = character === '_';
        const canOpen = !isSpace(after) && !(intraword && isWordCharacter(before));
        const canClose = !isSpace(before) && !(intraword && isWordCharacter(after));
        if (canClose && (openCount.get(marker) ?? 0) > 0) {
          // The nearest opener of this marker; the openers above it stay as text.
          let opener = openers.pop();
          while (opener.marker !== marker) {
            openCount.set(opener.marker, openCount.get(opener.marker) - 1);
            opener = openers.pop();
          }
          openCount.set(marker, openCount.get(marker) - 1);
          if (index > textStart) out.push({ type: 'text', text: text.slice(textStart, index) });
          const children = out.splice(opener.index + 1);
          out[opener.index] = { type: kind, children };
          index = end;
          textStart = end;
          continue;
        }
        if (canOpen) {
          openers.push({ marker, index: out.length + (index > textStart ? 1 : 0) });
          openCount.set(marker, (openCount.get(marker) ?? 0) + 1);
          emit({ type: 'text', text: marker }, end);
          continue;
        }
      }
      index = end;
      continue;
    }
    index += 1;
  }
  if (index > textStart) out.push({ type: 'text', text: text.slice(textStart, index) });
  return mergeText(out);
}

/** Joins neighbouring text nodes (unmatched openers leave them split). */
function mergeText(nodes) {
  const merged = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    if (node.type === 'text' && last?.type === 'text') last.text += node.text;
    else merged.push(node);
  }
  return merged;
}

const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const headingStart = /^ {0,3}(#{1,6})[ \t]+/;
const bullet = /^\s*[-*+][ \t]+/;
const numbered = /^\s*(\d{1,9})[.)][ \t]+/;
const quote = /^ {0,3}>[ \t]?/;

/** The first word of a fence's info string, when it looks like a language name. */
function language(info) {
  const word = info.trim().split(/\s/)[0] ?? '';
  return /^[\w+-]{1,32}$/.test(word) ? word : undefined;
}

/** True for `---`, `***`, `___` (with spaces between allowed). */
function isRule(line) {
  const compact = line.replace(/[ \t]/g, '');
  return compact.length >= 3 && /^(?:-+|\*+|_+)$/.test(compact);
}

/** A heading's text without the optional closing `#`s. */
function headingText(line, prefixLength) {
  let text = line.slice(prefixLength).trimEnd();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end -= 1;
  if (end < text.length && (end === 0 || /\s/.test(text[end - 1]))) text = text.slice(0, end);
  return text.trimEnd();
}

const startsBlock = (line) =>
  fence.test(line) ||
  headingStart.test(line) ||
  isRule(line) ||
  bullet.test(line) ||
  numbered.test(line) ||
  quote.test(line);

/**
 * Parses Markdown into a neutral tree: an array of blocks (`paragraph`, `heading`, `code`,
 * `list`, `quote`, `rule`) whose inline content is an array of nodes (`text`, `break`, `code`,
 * `strong`, `em`, `del`, `link` with a safe `href`, `image` with the path of one of the bot's
 * own files). No node carries HTML.
 *
 * @example
 * parseMarkdown('**Hi** <b>') // → [{ type: 'paragraph', children: [{ type: 'strong', children: [{ type: 'text', text: 'Hi' }] }, { type: 'text', text: ' <b>' }] }]
 */
export function parseMarkdown(source) {
  const lines = String(source).replace(/\r\n?/g, '\n').split('\n');
  const blocks = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    const opening = fence.exec(line);
    // The info string's first word names the language; a backtick in it makes it no fence.
    if (opening && !(opening[1][0] === '`' && opening[2].includes('`'))) {
      const closer = opening[1];
      const code = [];
      index += 1;
      while (index < lines.length) {
        const candidate = lines[index].trim();
        if (candidate.startsWith(closer[0].repeat(closer.length)) && /^(`+|~+)$/.test(candidate))
          break;
        code.push(lines[index]);
        index += 1;
      }
      index += 1;
      blocks.push({
        type: 'code',
        ...(language(opening[2]) ? { language: language(opening[2]) } : {}),
        text: code.join('\n'),
      });
    } else if (headingStart.test(line)) {
      const prefix = headingStart.exec(line);
      blocks.push({
        type: 'heading',
        level: prefix[1].length,
        children: parseInline(headingText(line, prefix[0].length)),
      });
      index += 1;
    } else if (isRule(line)) {
      blocks.push({ type: 'rule' });
      index += 1;
    } else if (bullet.test(line) || numbered.test(line)) {
      const pattern = bullet.test(line) ? bullet : numbered;
      const start = pattern === numbered ? Number(numbered.exec(line)[1]) : undefined;
      const items = [];
      while (index < lines.length && pattern.test(lines[index]) && !isRule(lines[index])) {
        const item = lines[index];
        items.push(parseInline(item.slice(pattern.exec(item)[0].length)));
        index += 1;
      }
      blocks.push({
        type: 'list',
        ordered: pattern === numbered,
        ...(start !== undefined && start !== 1 ? { start } : {}),
        items,
      });
    } else if (quote.test(line)) {
      const quoted = [];
      while (index < lines.length && quote.test(lines[index])) {
        quoted.push(lines[index].slice(quote.exec(lines[index])[0].length));
        index += 1;
      }
      blocks.push({ type: 'quote', children: parseInline(quoted.join('\n')) });
    } else if (!line.trim()) {
      index += 1;
    } else {
      const paragraph = [];
      while (index < lines.length && lines[index].trim() && !startsBlock(lines[index])) {
        paragraph.push(lines[index]);
        index += 1;
      }
      if (paragraph.length === 0) {
        // A line that looks like a block start but was not taken by any branch above.
        paragraph.push(line);
        index += 1;
      }
      blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
    }
  }
  return blocks;
}
