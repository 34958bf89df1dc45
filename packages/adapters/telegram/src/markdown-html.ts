import { Lexer, type Token, type Tokens } from 'marked';

/** Escapes text for Telegram HTML: `&`, `<` and `>` (and `"` inside attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

const safeLink = /^(https?:|mailto:|tg:)/i;

/**
 * Renders Markdown as the HTML subset Telegram accepts (`parse_mode: 'HTML'`): headings become
 * bold lines, lists become bullet or numbered lines, tables become lines of cells, and every
 * other character is escaped, so raw HTML in the Markdown (`<script>`) shows as text. Only
 * `http`, `https`, `mailto` and `tg` links become links.
 *
 * @example
 * markdownToTelegramHtml('**Hi** <there> & [docs](https://example.com)');
 * // '<b>Hi</b> &lt;there&gt; &amp; <a href="https://example.com">docs</a>'
 */
export function markdownToTelegramHtml(markdown: string): string {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  return renderBlocks(tokens, { quoteDepth: 0, listDepth: 0 }).trim();
}

interface BlockState {
  /** Telegram does not nest blockquotes: inner ones render as plain text. */
  quoteDepth: number;
  listDepth: number;
}

function renderBlocks(tokens: Token[], state: BlockState): string {
  const blocks: string[] = [];
  for (const token of tokens) {
    const block = renderBlock(token, state);
    if (block !== undefined && block.length > 0) blocks.push(block);
  }
  return blocks.join('\n\n');
}

function renderBlock(token: Token, state: BlockState): string | undefined {
  switch (token.type) {
    case 'space':
    case 'def':
      return undefined;
    case 'heading':
      return `<b>${renderInline((token as Tokens.Heading).tokens)}</b>`;
    case 'paragraph':
      return renderInline((token as Tokens.Paragraph).tokens);
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? renderInline(text.tokens) : escapeHtml(text.text);
    }
    case 'code':
      return renderCode(token as Tokens.Code);
    case 'blockquote': {
      const inner = renderBlocks((token as Tokens.Blockquote).tokens, {
        ...state,
        quoteDepth: state.quoteDepth + 1,
      });
      return state.quoteDepth === 0 ? `<blockquote>${inner}</blockquote>` : inner;
    }
    case 'list':
      return renderList(token as Tokens.List, state);
    case 'table':
      return renderTable(token as Tokens.Table);
    case 'hr':
      return '──────────';
    case 'html':
      return escapeHtml((token as Tokens.HTML).text.trimEnd());
    default:
      return 'raw' in token && typeof token.raw === 'string'
        ? escapeHtml(token.raw.trim())
        : undefined;
  }
}

function renderCode(token: Tokens.Code): string {
  const code = escapeHtml(token.text);
  const language = /^[\w+#.-]{1,32}$/.exec(token.lang ?? '')?.[0];
  return language
    ? `<pre><code class="language-${language}">${code}</code></pre>`
    : `<pre>${code}</pre>`;
}

function renderList(list: Tokens.List, state: BlockState): string {
  const indent = '   '.repeat(state.listDepth);
  const inner = { ...state, listDepth: state.listDepth + 1 };
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items
    .map((item, index) => {
      const marker = list.ordered ? `${start + index}.` : '•';
      const box = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
      const lines: string[] = [];
      for (const child of item.tokens) {
        if (child.type === 'checkbox') continue;
        if (child.type === 'list') {
          lines.push(renderList(child as Tokens.List, inner));
          continue;
        }
        const text = renderBlock(child, inner);
        if (text) lines.push(text.replace(/\n/g, `\n${indent}   `));
      }
      const [first = '', ...rest] = lines;
      return [`${indent}${marker} ${box}${first}`, ...rest].join('\n');
    })
    .join('\n');
}

function renderTable(table: Tokens.Table): string {
  const row = (cells: Tokens.TableCell[]) =>
    cells.map((cell) => renderInline(cell.tokens)).join(' | ');
  const header = `<b>${row(table.header)}</b>`;
  return [header, ...table.rows.map(row)].join('\n');
}

function renderInline(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  return tokens.map(renderInlineToken).join('');
}

function renderInlineToken(token: Token): string {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? renderInline(text.tokens) : escapeHtml(text.text);
    }
    case 'escape':
      return escapeHtml((token as Tokens.Escape).text);
    case 'strong':
      return `<b>${renderInline((token as Tokens.Strong).tokens)}</b>`;
    case 'em':
      return `<i>${renderInline((token as Tokens.Em).tokens)}</i>`;
    case 'del':
      return `<s>${renderInline((token as Tokens.Del).tokens)}</s>`;
    case 'codespan':
      return `<code>${escapeHtml((token as Tokens.Codespan).text)}</code>`;
    case 'br':
      return '\n';
    case 'link': {
      const link = token as Tokens.Link;
      const label = renderInline(link.tokens);
      return safeLink.test(link.href)
        ? `<a href="${escapeAttribute(link.href)}">${label}</a>`
        : label;
    }
    case 'image': {
      const image = token as Tokens.Image;
      const label = escapeHtml(image.text || image.href);
      return safeLink.test(image.href)
        ? `<a href="${escapeAttribute(image.href)}">${label}</a>`
        : label;
    }
    case 'html':
      return escapeHtml((token as Tokens.HTML).text);
    default:
      return 'raw' in token && typeof token.raw === 'string' ? escapeHtml(token.raw) : '';
  }
}

/** Turns Telegram HTML back into plain text: tags dropped, entities decoded. */
export function telegramHtmlToPlain(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
