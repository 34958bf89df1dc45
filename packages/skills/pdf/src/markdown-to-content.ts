import { Lexer, type Token, type Tokens } from 'marked';
import type { Content, Margin, NodeStyle, TableLayout, TextNode } from './pdfmake-types';

/** The usable width of an A4 page with the margins {@link pageMargins} leaves, in points. */
const contentWidth = 595.28 - 2 * 50;

/** Page margins in points: left, top, right, bottom. */
export const pageMargins: Margin = [50, 50, 50, 56];

/** The font family of code: DejaVu Sans Mono (it has Cyrillic). */
export const monoFont = 'DejaVuSansMono';

/** The document's styles: a title, six heading levels and the small text of the footer. */
export const documentStyles: Record<string, NodeStyle> = {
  title: { fontSize: 24, bold: true, margin: [0, 0, 0, 14] },
  h1: { fontSize: 20, bold: true, margin: [0, 14, 0, 8] },
  h2: { fontSize: 17, bold: true, margin: [0, 12, 0, 6] },
  h3: { fontSize: 14.5, bold: true, margin: [0, 10, 0, 5] },
  h4: { fontSize: 12.5, bold: true, margin: [0, 8, 0, 4] },
  h5: { fontSize: 11, bold: true, margin: [0, 8, 0, 4] },
  h6: { fontSize: 11, bold: true, italics: true, color: '#444444', margin: [0, 8, 0, 4] },
  footer: { fontSize: 9, color: '#777777' },
};

const linkColor = '#1155cc';
const codeBackground = '#f2f2f2';

/** Inline styles that nest: `**[a `b`](url)**` is bold, linked and monospace at once. */
interface InlineStyle {
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
  code?: boolean;
  link?: string;
}

const entities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  laquo: '«',
  raquo: '»',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  copy: '©',
};

/** Decodes the HTML entities Markdown lets through as text (`&amp;`, `&#1105;`, `&#x451;`). */
function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[\da-f]{1,6}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] !== '#') return entities[name.toLowerCase()] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X'
        ? Number.parseInt(name.slice(2), 16)
        : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const stripTags = (html: string) => decodeEntities(html.replace(/<[^>]*>/g, ''));

/**
 * A link target the PDF may hold: an absolute http(s), mailto, tel or ftp URL, in ASCII (PDF
 * URIs are 7-bit; `ё` becomes `%D1%91`). Anything else (relative, `javascript:`) is no link.
 */
export function safeLink(href: string): string | undefined {
  try {
    const url = new URL(href.trim());
    return /^(?:https?|mailto|tel|ftp):$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function run(text: string, style: InlineStyle): TextNode {
  const node: TextNode = { text };
  if (style.bold) node.bold = true;
  if (style.italics) node.italics = true;
  if (style.code) {
    node.font = monoFont;
    node.background = codeBackground;
    node.fontSize = 9.5;
  }
  const link = style.link ? safeLink(style.link) : undefined;
  if (link) {
    node.link = link;
    node.color = linkColor;
  }
  if (style.strike) node.decoration = 'lineThrough';
  else if (link) node.decoration = 'underline';
  return node;
}

/** Inline tokens as a flat list of styled runs (pdfmake does not inherit links into nested text). */
function inline(tokens: Token[] | undefined, style: InlineStyle = {}): TextNode[] {
  const runs: TextNode[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'strong':
        runs.push(...inline(token.tokens, { ...style, bold: true }));
        break;
      case 'em':
        runs.push(...inline(token.tokens, { ...style, italics: true }));
        break;
      case 'del':
        runs.push(...inline(token.tokens, { ...style, strike: true }));
        break;
      case 'codespan':
        // Code is literal: `&amp;` in a code span stays `&amp;`.
        runs.push(run(token.text, { ...style, code: true }));
        break;
      case 'link':
        runs.push(...inline(token.tokens, { ...style, link: token.href }));
        break;
      case 'image': {
        // Images are never fetched: the PDF shows the alt text, linked to the image.
        const image = token as Tokens.Image;
        runs.push(run(`[${image.text || 'image'}]`, { ...style, link: image.href }));
        break;
      }
      case 'br':
        runs.push(run('\n', style));
        break;
      case 'html':
        // Inline tags are dropped (their text comes as tokens of its own); <br> breaks the line.
        if (/^<br\s*\/?>$/i.test(token.text)) runs.push(run('\n', style));
        break;
      case 'checkbox':
        runs.push(run(token.checked ? '[x] ' : '[ ] ', { ...style, code: true }));
        break;
      case 'escape':
        runs.push(run(token.text, style));
        break;
      default: {
        if ('tokens' in token && token.tokens?.length) runs.push(...inline(token.tokens, style));
        else if ('text' in token && typeof token.text === 'string')
          // A soft line break inside a paragraph is a space, as in HTML.
          runs.push(run(decodeEntities(token.text.replace(/[ \t]*\n[ \t]*/g, ' ')), style));
      }
    }
  }
  return runs;
}

/** The plain text of inline tokens: a heading's text without its Markdown. */
export function plainText(tokens: Token[] | undefined): string {
  return inline(tokens)
    .map((node) => node.text as string)
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

const codeLayout: TableLayout = {
  hLineWidth: () => 0,
  vLineWidth: () => 0,
  fillColor: () => codeBackground,
  paddingLeft: () => 8,
  paddingRight: () => 8,
  paddingTop: () => 6,
  paddingBottom: () => 6,
};

const quoteLayout: TableLayout = {
  hLineWidth: () => 0,
  vLineWidth: (index) => (index === 0 ? 3 : 0),
  vLineColor: () => '#cccccc',
  paddingLeft: () => 10,
  paddingRight: () => 0,
  paddingTop: () => 2,
  paddingBottom: () => 2,
};

const dataTableLayout: TableLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#bbbbbb',
  vLineColor: () => '#bbbbbb',
  paddingLeft: () => 5,
  paddingRight: () => 5,
  paddingTop: () => 3,
  paddingBottom: () => 3,
};

function table(token: Tokens.Table): Content {
  const columns = Math.max(1, token.header.length);
  const row = (cells: Tokens.TableCell[], header: boolean): Content[] =>
    Array.from({ length: columns }, (_, index) => {
      const cell = cells[index];
      const node: TextNode = { text: cell ? inline(cell.tokens) : '' };
      const align = cell?.align ?? token.align[index];
      if (align) node.alignment = align;
      if (header) {
        node.bold = true;
        node.fillColor = '#eeeeee';
      }
      return node;
    });
  return {
    table: {
      headerRows: 1,
      widths: Array.from({ length: columns }, () => '*'),
      body: [row(token.header, true), ...token.rows.map((cells) => row(cells, false))],
    },
    layout: dataTableLayout,
    margin: [0, 2, 0, 10],
  };
}

function list(token: Tokens.List, nested: boolean): Content {
  const items = token.items.map((item): Content => {
    const content = blocks(item.tokens, true);
    return content.length === 1 ? content[0]! : { stack: content };
  });
  const margin: Margin = [0, 0, 0, nested ? 0 : 8];
  if (!token.ordered) return { ul: items, margin };
  return typeof token.start === 'number' && token.start !== 1
    ? { ol: items, start: token.start, margin }
    : { ol: items, margin };
}

function block(token: Token, inList: boolean): Content | undefined {
  switch (token.type) {
    case 'space':
    case 'def':
      return undefined;
    case 'heading': {
      const level = Math.min(6, Math.max(1, token.depth));
      return { text: inline(token.tokens), style: `h${level}`, headlineLevel: level };
    }
    case 'paragraph':
      return { text: inline(token.tokens), margin: [0, 0, 0, 8] };
    case 'text':
      // The text of a tight list item.
      return { text: inline(token.tokens ?? [{ type: 'text', raw: token.raw, text: token.text }]) };
    case 'list':
      return list(token as Tokens.List, inList);
    case 'table':
      return table(token as Tokens.Table);
    case 'code':
      return {
        table: {
          widths: ['*'],
          body: [
            [
              {
                text: token.text.replace(/\t/g, '    ') || ' ',
                font: monoFont,
                fontSize: 9,
                lineHeight: 1.15,
                preserveLeadingSpaces: true,
              },
            ],
          ],
        },
        layout: codeLayout,
        margin: [0, 2, 0, 10],
      };
    case 'blockquote': {
      const quoted = blocks((token as Tokens.Blockquote).tokens);
      return {
        table: { widths: ['*'], body: [[{ stack: quoted, color: '#555555' }]] },
        layout: quoteLayout,
        margin: [0, 2, 0, 8],
      };
    }
    case 'hr':
      return {
        canvas: [
          {
            type: 'line',
            x1: 0,
            y1: 0,
            x2: contentWidth,
            y2: 0,
            lineWidth: 0.7,
            lineColor: '#bbbbbb',
          },
        ],
        margin: [0, 6, 0, 12],
      };
    case 'html': {
      const text = stripTags(token.text).trim();
      return text ? { text, margin: [0, 0, 0, 8] } : undefined;
    }
    case 'checkbox':
      return { text: [run(token.checked ? '[x] ' : '[ ] ', { code: true })] };
    default:
      return 'text' in token && typeof token.text === 'string' && token.text.trim()
        ? { text: decodeEntities(token.text), margin: [0, 0, 0, 8] }
        : undefined;
  }
}

function blocks(tokens: Token[], inList = false): Content[] {
  const content: Content[] = [];
  for (const token of tokens) {
    const node = block(token, inList);
    if (node === undefined) continue;
    // A task item's checkbox goes in front of the text that follows it.
    const previous = content.at(-1) as TextNode | undefined;
    if (
      previous &&
      content.length === 1 &&
      tokens[0]?.type === 'checkbox' &&
      Array.isArray(previous.text) &&
      typeof node === 'object' &&
      'text' in node &&
      Array.isArray(node.text)
    ) {
      previous.text.push(...(node.text as TextNode[]));
      continue;
    }
    content.push(node);
  }
  return content;
}

/** Markdown parsed once: its tokens, and the first heading's plain text (a title when none is given). */
export interface ParsedMarkdown {
  tokens: Token[];
  firstHeading?: { text: string; index: number };
}

/** Parses Markdown (GitHub flavour: tables, strikethrough, task lists) into marked's tokens. */
export function parseMarkdown(markdown: string): ParsedMarkdown {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const index = tokens.findIndex((token) => token.type === 'heading');
  if (index < 0) return { tokens };
  const text = plainText((tokens[index] as Tokens.Heading).tokens);
  return text ? { tokens, firstHeading: { text, index } } : { tokens };
}

/**
 * The pdfmake content of a Markdown document: the title as the first heading, then every block
 * (headings h1-h6, paragraphs with bold, italic, code and clickable links, nested lists, tables
 * with a header row, code blocks in a monospace font, quotes and rules). A first heading that
 * only repeats the title is left out.
 */
export function markdownToContent(parsed: ParsedMarkdown, title: string): Content[] {
  let tokens = parsed.tokens;
  const first = parsed.firstHeading;
  if (first && first.text === title && tokens.slice(0, first.index).every(isBlank)) {
    tokens = tokens.slice(first.index + 1);
  }
  return [{ text: title, style: 'title' }, ...blocks(tokens)];
}

const isBlank = (token: Token) => token.type === 'space' || token.type === 'def';
