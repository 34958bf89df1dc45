import { describe, expect, it } from 'vitest';
import { renderPdf } from './render-pdf';
import { normalizeSpace, poppler, popplerTools } from './testing/poppler';

const latin1 = (data: Uint8Array) => Buffer.from(data).toString('latin1');

const russian = `# Отчёт о ёжиках

Ёжики выходят на прогулку в сумерках — это «по-ёжиному» **важно**, *очень* важно и \`нужно\`.
Подробнее на [сайте заповедника](https://example.org/ёжики).

## Наблюдения

- Ёж обыкновенный живёт в лесах и садах
- Ушастый ёж встречается на юге
  - Вложенный пункт: «ёлки-палки»
- Всего замечено 12 особей

1. Первый шаг: приготовить фонарь
2. Второй шаг: записать всё в журнал

### Таблица встреч

| Место | Число | Примечание |
|:------|------:|:-----------|
| Опушка | 5 | Ёж ел яблоко |
| Берёзовая роща | 7 | Шуршали в листьях |

\`\`\`python
def сосчитать(ежи):
    return len(ежи)  # Всё просто
\`\`\`

> Ёж — не ёлка, а «колючий друг».

---

Съешь же ещё этих мягких французских булок, да выпей чаю. ЁЁЁ ёёё.
`;

/** Each line the PDF must show, as a reader sees it (Markdown marks gone). */
const russianLines = [
  'Отчёт о ёжиках',
  'Ёжики выходят на прогулку в сумерках — это «по-ёжиному» важно, очень важно и нужно. Подробнее на сайте заповедника.',
  'Наблюдения',
  'Ёж обыкновенный живёт в лесах и садах',
  'Ушастый ёж встречается на юге',
  'Вложенный пункт: «ёлки-палки»',
  'Всего замечено 12 особей',
  '1. Первый шаг: приготовить фонарь',
  '2. Второй шаг: записать всё в журнал',
  'Таблица встреч',
  'Место Число Примечание',
  'Опушка 5 Ёж ел яблоко',
  'Берёзовая роща 7 Шуршали в листьях',
  'def сосчитать(ежи):',
  'return len(ежи) # Всё просто',
  'Ёж — не ёлка, а «колючий друг».',
  'Съешь же ещё этих мягких французских булок, да выпей чаю. ЁЁЁ ёёё.',
];

const english = `# Every feature

Some **bold**, *italic*, ***both***, ~~struck~~ and \`inline code\` text with a [link](https://example.org/docs)
and a bare https://example.com/auto link. Entities: &amp; &lt;tag&gt; &copy;.

## Lists

- one
- two
  - two and a half
    1. deep
- [x] done
- [ ] to do

3. three
4. four

### Table

| Left | Center | Right |
|:-----|:------:|------:|
| a | **b** | [c](https://example.org/c) |

#### Code

\`\`\`ts
const answer: number = 42;
\`\`\`

##### Quote

> Quoted *text*
> > nested quote

###### Rule

---

![a picture](https://example.org/picture.png) and <b>inline html</b>.

<div>An HTML block</div>

[relative](./page.html) and [script](javascript:alert(1)).
`;

// Every test here reads the PDF back with poppler-utils; they skip (with the reason printed) without it.
describe.skipIf(!popplerTools.available)('renderPdf', () => {
  it('renders a Russian Markdown document whose text pdftotext extracts intact', async () => {
    const { data, pages } = await renderPdf({ title: 'Отчёт о ёжиках', markdown: russian });
    expect(latin1(data.subarray(0, 5))).toBe('%PDF-');
    expect(pages).toBe(1);
    const text = normalizeSpace(poppler('pdftotext', data, ['-layout']));
    for (const line of russianLines) expect(text).toContain(line);
    // The heading that repeats the title is shown once, as the title.
    expect(text.match(/Отчёт о ёжиках/g)).toHaveLength(1);
    expect(text).toMatch(/1 ?\/ ?1$/);
    const info = poppler('pdfinfo', data);
    expect(info).toMatch(/^Title:\s+Отчёт о ёжиках$/m);
    expect(info).toMatch(/^Pages:\s+1$/m);
  });

  it('renders every Markdown feature, with clickable links as URI annotations', async () => {
    const { data, pages } = await renderPdf({ title: 'Features', markdown: english });
    const bytes = latin1(data);
    expect(pages).toBe(1);
    expect(bytes.match(/\/Type \/Page\b(?!s)/g)).toHaveLength(1);
    for (const uri of [
      'https://example.org/docs',
      'https://example.com/auto',
      'https://example.org/c',
      'https://example.org/picture.png',
    ]) {
      expect(bytes).toContain(`/URI (${uri})`);
    }
    expect(bytes).not.toContain('javascript:');
    expect(bytes).not.toContain('page.html');
    const text = normalizeSpace(poppler('pdftotext', data, ['-layout']));
    for (const line of [
      'Features',
      'Every feature',
      'Some bold, italic, both, struck and inline code text with a link and a bare https://example.com/auto link.',
      'Entities: & <tag> ©.',
      'two and a half',
      '1. deep',
      '[x] done',
      '[ ] to do',
      '3. three',
      '4. four',
      'Left Center Right',
      'a b c',
      'const answer: number = 42;',
      'Quoted text',
      'nested quote',
      '[a picture] and inline html.',
      'An HTML block',
      'relative and script.',
    ]) {
      expect(text).toContain(line);
    }
    // Code is set in the bundled monospace font, text in Roboto; both embedded.
    const fonts = poppler('pdffonts', data);
    expect(fonts).toMatch(/DejaVuSansMono/);
    expect(fonts).toMatch(/Roboto-Regular/);
  });

  it('makes a PDF with the title as the first heading and a link-free title in metadata', async () => {
    const { data } = await renderPdf({ title: 'Plain', markdown: 'Just text.' });
    const text = normalizeSpace(poppler('pdftotext', data));
    expect(text.startsWith('Plain Just text.')).toBe(true);
  });

  it('paginates a long document, numbering every page', async () => {
    const section = (index: number) =>
      `## Section ${index}\n\nParagraph ${index}: ${'words that fill the page '.repeat(12)}\n\n- item ${index}\n`;
    const markdown = Array.from({ length: 300 }, (_, index) => section(index + 1)).join('\n');
    const { data, pages } = await renderPdf({ title: 'Long', markdown });
    expect(pages).toBeGreaterThan(10);
    expect(poppler('pdfinfo', data)).toMatch(new RegExp(`^Pages:\\s+${pages}$`, 'm'));
    const last = normalizeSpace(
      poppler('pdftotext', data, ['-f', String(pages), '-l', String(pages)]),
    );
    expect(last).toMatch(new RegExp(`${pages} ?/ ?${pages}$`));
    expect(last).toContain('Section 300');
  });

  it('splits a code block longer than a page across pages', async () => {
    const code = Array.from({ length: 200 }, (_, index) => `строка ${index + 1}`).join('\n');
    const { data, pages } = await renderPdf({ title: 'Code', markdown: `\`\`\`\n${code}\n\`\`\`` });
    expect(pages).toBeGreaterThan(2);
    const text = poppler('pdftotext', data);
    expect(text.match(/строка \d+/g)).toHaveLength(200);
  });
});
