import { describe, expect, it } from 'vitest';
import { escapeHtml, renderMarkdown } from '../public/markdown.js';

describe('the chat page Markdown renderer', () => {
  it('escapes every tag and attribute the text brings', () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)"> <script>alert(2)</script>');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(escapeHtml(`<a href='x'>&`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;');
  });

  it('renders a small subset: emphasis, code, lists, quotes, headings and code blocks', () => {
    expect(renderMarkdown('**Bold**, *it* and `a<b>`')).toBe(
      '<p><strong>Bold</strong>, <em>it</em> and <code>a&lt;b&gt;</code></p>',
    );
    expect(renderMarkdown('- one\n- two\n\n1. first')).toBe(
      '<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>',
    );
    expect(renderMarkdown('# Title\n> quoted')).toBe(
      '<h3>Title</h3><blockquote>quoted</blockquote>',
    );
    expect(renderMarkdown('```js\nif (a < b) **x**\n```')).toBe(
      '<pre><code>if (a &lt; b) **x**</code></pre>',
    );
    expect(renderMarkdown('line one\nline two')).toBe('<p>line one<br>line two</p>');
    expect(renderMarkdown('snake_case_name stays')).toBe('<p>snake_case_name stays</p>');
  });

  it('links only http(s) URLs, opening them in a new tab', () => {
    expect(renderMarkdown('[docs](https://example.org/a?b=1&c=2)')).toBe(
      '<p><a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">docs</a></p>',
    );
    expect(renderMarkdown('see https://example.org/x.')).toContain(
      '<a href="https://example.org/x" target="_blank"',
    );
    expect(renderMarkdown('[bad](javascript:alert(1))')).not.toContain('<a');
    expect(renderMarkdown('https://e.org/"onmouseover="x')).not.toMatch(/"onmouseover/);
  });
});
