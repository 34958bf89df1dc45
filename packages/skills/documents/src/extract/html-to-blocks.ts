import { BlockCollector, normalizeWhitespace } from './block-collector';
import type { DocumentBlock } from './extracted-document';
import { decodeEntities } from './html-entities';

/** Elements whose content is never text a reader sees. */
const skipped = new Set([
  'head',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'button',
  'select',
  'datalist',
]);
/** Elements whose content is raw text up to the closing tag (no tags inside). */
const rawText = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'plaintext']);
/** Elements that start and end a block of text. */
const blockElements = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
]);

const token =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<[!?][^>]*>?|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;

/** What {@link htmlToBlocks} found: the blocks and the `<title>` (or first heading). */
export interface HtmlBlocks {
  blocks: DocumentBlock[];
  title?: string;
}

/**
 * The text blocks of an HTML document with the h1–h6 heading path of each. Tolerant of
 * broken markup; scripts, styles, comments and form controls are dropped, entities decoded.
 * Paragraphs, list items, table rows and other block elements each become a block; table
 * cells are joined with ` | `.
 */
export function htmlToBlocks(html: string): HtmlBlocks {
  const collector = new BlockCollector();
  let title: string | undefined;
  let buffer = '';
  let heading: { level: number; text: string } | undefined;
  const skipStack: string[] = [];
  const endHeading = () => {
    if (heading) collector.heading(heading.level, heading.text);
    heading = undefined;
  };
  const flush = () => {
    collector.text(buffer);
    buffer = '';
  };
  token.lastIndex = 0;
  for (let match = token.exec(html); match; match = token.exec(html)) {
    const [whole, closing, rawName, attributes] = match;
    if (rawName === undefined) {
      if (whole.startsWith('<') && whole.length > 1) continue; // a comment, doctype or CDATA
      if (skipStack.length) continue;
      const text = decodeEntities(whole);
      if (heading) heading.text += text;
      else buffer += text;
      continue;
    }
    const name = rawName.toLowerCase();
    if (!closing && rawText.has(name)) {
      const end = new RegExp(`</${name}\\s*>`, 'ig');
      end.lastIndex = token.lastIndex;
      const found = end.exec(html);
      const content = html.slice(token.lastIndex, found ? found.index : html.length);
      token.lastIndex = found ? end.lastIndex : html.length;
      if (name === 'title' && title === undefined) {
        title = normalizeWhitespace(decodeEntities(content)) || undefined;
      }
      continue;
    }
    // `</head>` may be left out: the body ends whatever was skipped before it.
    if (name === 'body' && !closing) skipStack.length = 0;
    if (skipped.has(name)) {
      if (closing) {
        const at = skipStack.lastIndexOf(name);
        if (at >= 0) skipStack.length = at;
      } else if (!attributes?.trimEnd().endsWith('/')) skipStack.push(name);
      continue;
    }
    if (skipStack.length) continue;
    const level = /^h([1-6])$/.exec(name);
    if (level) {
      endHeading();
      flush();
      if (!closing) heading = { level: Number(level[1]), text: '' };
      continue;
    }
    if (name === 'br' || name === 'wbr') {
      if (heading) heading.text += ' ';
      else buffer += ' ';
    } else if (name === 'td' || name === 'th') {
      if (!closing && normalizeWhitespace(buffer)) buffer += ' | ';
    } else if (blockElements.has(name)) {
      // A heading holds inline content; a block (other than a div) means it was left open.
      if (heading && name === 'div') heading.text += ' ';
      else {
        endHeading();
        flush();
      }
    }
  }
  endHeading();
  flush();
  const blocks = collector.finish();
  const found = title ?? collector.firstHeading;
  return found ? { blocks, title: found } : { blocks };
}
