import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownToTelegramHtml, telegramHtmlToPlain } from './markdown-html';

const allowedTags = new Set(['b', 'i', 's', 'u', 'code', 'pre', 'a', 'blockquote']);

/** Every tag is one Telegram accepts, and tags are balanced and properly nested. */
function expectValidTelegramHtml(html: string): void {
  const stack: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-z-]+)([^>]*)>/g)) {
    const [, slash, name] = match;
    expect(allowedTags, `tag <${name}> in ${html}`).toContain(name);
    if (slash) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  // Outside tags, no raw < or >, and every & starts an entity.
  const text = html.replace(/<[^>]*>/g, '');
  expect(text).not.toMatch(/[<>]/);
  expect(text).not.toMatch(/&(?!(amp|lt|gt|quot);)/);
}

describe('markdownToTelegramHtml', () => {
  it('escapes HTML in text, so <script> is shown, not run', () => {
    const html = markdownToTelegramHtml('Look: <script>alert("x")</script> & <b>not bold</b>');
    expect(html).toBe(
      'Look: &lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;not bold&lt;/b&gt;',
    );
    expectValidTelegramHtml(html);
  });

  it('escapes an ampersand everywhere, also one that looks like an entity', () => {
    expect(markdownToTelegramHtml('Tom & Jerry &amp; co, 1 < 2 > 0')).toBe(
      'Tom &amp; Jerry &amp;amp; co, 1 &lt; 2 &gt; 0',
    );
  });

  it('renders nested bold, italic, strikethrough and inline code', () => {
    const html = markdownToTelegramHtml('**bold *and italic* ~~gone~~** and `a<b && c>d`');
    expect(html).toBe(
      '<b>bold <i>and italic</i> <s>gone</s></b> and <code>a&lt;b &amp;&amp; c&gt;d</code>',
    );
    expectValidTelegramHtml(html);
  });

  it('quotes link targets: a quote in a URL cannot break out of the attribute', () => {
    const html = markdownToTelegramHtml('[say "hi"](https://example.com/?q="x"&a=<b>)');
    expect(html).toBe(
      '<a href="https://example.com/?q=&quot;x&quot;&amp;a=&lt;b&gt;">say "hi"</a>',
    );
    expectValidTelegramHtml(html);
  });

  it('drops links with schemes other than http, https, mailto and tg', () => {
    expect(markdownToTelegramHtml('[click](javascript:alert(1)) [mail](mailto:a@b.c)')).toBe(
      'click <a href="mailto:a@b.c">mail</a>',
    );
  });

  it('keeps HTML inside code blocks as text, with the language', () => {
    const html = markdownToTelegramHtml(
      '```html\n<div class="x">a & b</div>\n```\n\n```\nplain\n```',
    );
    expect(html).toBe(
      '<pre><code class="language-html">&lt;div class="x"&gt;a &amp; b&lt;/div&gt;</code></pre>\n\n<pre>plain</pre>',
    );
    expectValidTelegramHtml(html);
  });

  it('ignores a code block language that could inject an attribute', () => {
    const html = markdownToTelegramHtml('```js" onclick="x\ncode\n```');
    expect(html).toBe('<pre>code</pre>');
  });

  it('turns headings into bold lines and keeps paragraphs apart', () => {
    expect(markdownToTelegramHtml('# Title\n\nFirst.\n\n## Sub *it*\nSecond\nline')).toBe(
      '<b>Title</b>\n\nFirst.\n\n<b>Sub <i>it</i></b>\n\nSecond\nline',
    );
  });

  it('renders bullet, numbered, nested and task lists as lines', () => {
    const html = markdownToTelegramHtml(
      '- one\n- **two**\n  1. a\n  2. b\n- [x] done\n- [ ] open\n\n3. three\n4. four',
    );
    expect(html).toBe(
      '• one\n• <b>two</b>\n   1. a\n   2. b\n• ☑ done\n• ☐ open\n\n3. three\n4. four',
    );
    expectValidTelegramHtml(html);
  });

  it('renders a blockquote once, flattening nested ones (Telegram cannot nest them)', () => {
    const html = markdownToTelegramHtml('> quoted **text**\n>\n> > inner');
    expect(html).toBe('<blockquote>quoted <b>text</b>\n\ninner</blockquote>');
    expectValidTelegramHtml(html);
  });

  it('renders tables as lines of cells with a bold header', () => {
    expect(markdownToTelegramHtml('| a | b |\n|---|---|\n| 1 | <2> |')).toBe(
      '<b>a | b</b>\n1 | &lt;2&gt;',
    );
  });

  it('keeps backslash escapes literal', () => {
    expect(markdownToTelegramHtml('not \\*bold\\* \\<tag\\>')).toBe('not *bold* &lt;tag&gt;');
  });

  it('produces valid HTML for a mixed document', () => {
    const html = markdownToTelegramHtml(
      '# Report\n\n> **Note** & <b>\n\n- `x<y>`\n- [l](https://x.y/"q")\n\n---\n\n![img](https://x/i.png)',
    );
    expectValidTelegramHtml(html);
  });
});

describe('telegramHtmlToPlain and escapeHtml', () => {
  it('round-trips text through escaping', () => {
    const text = 'a < b && c > "d"';
    expect(telegramHtmlToPlain(`<b>${escapeHtml(text)}</b>`)).toBe(text);
  });
});
