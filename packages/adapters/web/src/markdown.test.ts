import { describe, expect, it } from 'vitest';
import {
  artifactImagePath,
  type BlockNode,
  type InlineNode,
  parseMarkdown,
  safeHref,
} from '../public/markdown.js';

const artifact = '/api/v1/artifacts/abcdefghijklmnopqrstuvwx';
const text = (value: string): InlineNode => ({ type: 'text', text: value });
const paragraph = (...children: InlineNode[]): BlockNode[] => [{ type: 'paragraph', children }];

/** Every node of a tree, depth first. */
function* walk(nodes: Array<BlockNode | InlineNode | InlineNode[]>): Generator<object> {
  for (const node of nodes) {
    if (Array.isArray(node)) {
      yield* walk(node);
      continue;
    }
    yield node;
    if ('children' in node) yield* walk(node.children);
    if ('items' in node) yield* walk(node.items);
  }
}

/** Only the fields the DOM builder reads: a tree with anything else is a bug. */
const allowedFields = new Set([
  'type',
  'text',
  'children',
  'items',
  'level',
  'ordered',
  'start',
  'language',
  'href',
  'src',
  'alt',
]);

describe('the chat page Markdown parser', () => {
  it('keeps HTML of every kind as text', () => {
    const hostile =
      '<img src=x onerror="alert(1)"> <script>alert(2)</script> <a href="javascript:x">y</a>';
    expect(parseMarkdown(hostile)).toEqual(paragraph(text(hostile)));
    const tree = parseMarkdown(
      `# <b>title</b>\n- <i>item</i>\n> <svg onload=x>\n\`<code>\`\n\n\`\`\`\n<pre>\n\`\`\``,
    );
    for (const node of walk(tree))
      for (const field of Object.keys(node)) expect(allowedFields).toContain(field);
    expect(JSON.stringify(tree)).toContain('<svg onload=x>');
  });

  it('links only http, https and mailto destinations', () => {
    expect(parseMarkdown('[docs](https://example.org/a?b=1&c=2)')).toEqual(
      paragraph({ type: 'link', href: 'https://example.org/a?b=1&c=2', children: [text('docs')] }),
    );
    expect(parseMarkdown('[mail](mailto:ann@example.org)')[0]).toMatchObject({
      children: [{ type: 'link', href: 'mailto:ann@example.org' }],
    });
    for (const hostile of [
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](java\tscript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](vbscript:msgbox(1))',
      '[x](//evil.example/x)',
      '[x](/relative)',
      '[x](https:alert)',
    ]) {
      const tree = parseMarkdown(hostile);
      expect(
        [...walk(tree)].some((node) => 'href' in node),
        hostile,
      ).toBe(false);
    }
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref(' https://example.org')).toBeUndefined();
    expect(safeHref('https://example.org/\u0000')).toBeUndefined();
    expect(safeHref('HTTPS://Example.org/A')).toBe('https://example.org/A');
  });

  it('links bare URLs without the punctuation after them', () => {
    expect(parseMarkdown('see https://example.org/x. (or https://example.org/wiki/A_(b))')).toEqual(
      paragraph(
        text('see '),
        { type: 'link', href: 'https://example.org/x', children: [text('https://example.org/x')] },
        text('. (or '),
        {
          type: 'link',
          href: 'https://example.org/wiki/A_(b)',
          children: [text('https://example.org/wiki/A_(b)')],
        },
        text(')'),
      ),
    );
    const quoted = parseMarkdown('https://e.org/"onmouseover="x');
    expect(quoted).toEqual(
      paragraph(
        { type: 'link', href: 'https://e.org/', children: [text('https://e.org/')] },
        text('"onmouseover="x'),
      ),
    );
  });

  it('handles nested brackets: the outer link wins and holds no link', () => {
    expect(parseMarkdown('[a [b] c](https://example.org)')).toEqual(
      paragraph({ type: 'link', href: 'https://example.org/', children: [text('a [b] c')] }),
    );
    expect(parseMarkdown('[a [b](https://x.org) c](https://y.org)')).toEqual(
      paragraph({
        type: 'link',
        href: 'https://y.org/',
        children: [text('a [b](https://x.org) c')],
      }),
    );
    expect(parseMarkdown('[[x]]')).toEqual(paragraph(text('[[x]]')));
  });

  it("shows images only from the bot's own files; other images become links or text", () => {
    expect(parseMarkdown(`![chart](${artifact})`)).toEqual(
      paragraph({ type: 'image', src: artifact, alt: 'chart' }),
    );
    expect(parseMarkdown('![x](https://tracker.example/p.gif)')).toEqual(
      paragraph({
        type: 'link',
        href: 'https://tracker.example/p.gif',
        children: [text('x')],
      }),
    );
    expect(parseMarkdown('![x](data:image/svg+xml,<svg onload=alert(1)>)')).toEqual(
      paragraph(text('![x](data:image/svg+xml,<svg onload=alert(1)>)')),
    );
    expect(artifactImagePath('/api/v1/artifacts/../../etc/passwd')).toBeUndefined();
  });

  it('parses emphasis, code, headings, lists, quotes, rules and code blocks', () => {
    expect(parseMarkdown('**Bold**, *it*, ~~gone~~ and `a<b>`')).toEqual(
      paragraph(
        { type: 'strong', children: [text('Bold')] },
        text(', '),
        { type: 'em', children: [text('it')] },
        text(', '),
        { type: 'del', children: [text('gone')] },
        text(' and '),
        { type: 'code', text: 'a<b>' },
      ),
    );
    expect(parseMarkdown('**bold *and it* too**')).toEqual(
      paragraph({
        type: 'strong',
        children: [text('bold '), { type: 'em', children: [text('and it')] }, text(' too')],
      }),
    );
    expect(parseMarkdown('- one\n- two\n\n3. third\n4. fourth')).toEqual([
      { type: 'list', ordered: false, items: [[text('one')], [text('two')]] },
      { type: 'list', ordered: true, start: 3, items: [[text('third')], [text('fourth')]] },
    ]);
    expect(parseMarkdown('## Title ##\n> quoted\n> twice\n\n---')).toEqual([
      { type: 'heading', level: 2, children: [text('Title')] },
      { type: 'quote', children: [text('quoted'), { type: 'break' }, text('twice')] },
      { type: 'rule' },
    ]);
    expect(parseMarkdown('```js\nif (a < b) **x**\n```\nafter')).toEqual([
      { type: 'code', language: 'js', text: 'if (a < b) **x**' },
      ...paragraph(text('after')),
    ]);
    expect(parseMarkdown('line one\nline two')).toEqual(
      paragraph(text('line one'), { type: 'break' }, text('line two')),
    );
    expect(parseMarkdown('snake_case_name and 2 * 3 * 4 stay')).toEqual(
      paragraph(text('snake_case_name and 2 * 3 * 4 stay')),
    );
    expect(parseMarkdown('**unclosed and `code')).toEqual(paragraph(text('**unclosed and `code')));
  });

  // Not a speed goal but a guard against catastrophic (quadratic or worse) parsing. Each input
  // has 200,000 characters: a linear parser reads it in a few times what as much plain prose
  // takes (more nodes, more garbage), a quadratic one in thousands of times that. The time is
  // compared with that of prose measured alongside (the best of two runs each), so a busy
  // machine does not fail it.
  it('parses hostile inputs in linear time', () => {
    const size = 200_000;
    const repeat = (unit: string) => unit.repeat(Math.ceil(size / unit.length));
    const best = (input: string) => {
      let fastest = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 2; run += 1) {
        const started = performance.now();
        parseMarkdown(input);
        fastest = Math.min(fastest, performance.now() - started);
      }
      return fastest;
    };
    const hostile = {
      'open brackets': repeat('['),
      'nested brackets': `${'['.repeat(size / 2)}${']'.repeat(size / 2)}`,
      'nested links': `${'['.repeat(size / 4)}x${'](https://e.org)'.repeat(size / 64)}`,
      'unclosed destinations': repeat('[a]('),
      'unclosed emphasis': repeat('**a *b _c ~~d '),
      'alternating emphasis': `${repeat('*_')}x${repeat('_*')}`,
      backticks: repeat('`a'),
      'bare URLs': repeat('http://http://['),
      'heading with spaces': `# ${' '.repeat(size)}x #`,
      'fence with spaces': `\`\`\`${' '.repeat(size)}x y`,
      'lines of blocks': repeat('- a\n> b\n# c\n1. d\n'),
      'image openers': repeat('!['),
    };
    for (const [name, input] of Object.entries(hostile)) {
      const prose = best(repeat('Some words, a [link](https://example.org) and **bold**. '));
      expect(best(input), name).toBeLessThan(40 * prose + 1000);
    }
  });

  it('keeps 10,000 open brackets as the text they are', () => {
    const input = `${'['.repeat(10_000)}x`;
    expect(parseMarkdown(input)).toEqual(paragraph(text(input)));
  });
});
