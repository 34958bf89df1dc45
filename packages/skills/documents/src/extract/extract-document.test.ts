import { readFileSync } from 'node:fs';
import { isBotwireError } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { extractDocument } from './extract-document';
import type { ExtractedDocument } from './extracted-document';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
const encode = (text: string) => new TextEncoder().encode(text);

/** The error extractDocument rejects with, checked to be a BotwireError with that code. */
async function failure(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isBotwireError(error), `expected a BotwireError, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error & { code: string; details: Record<string, unknown> };
}

function blockWith(document: ExtractedDocument, needle: string) {
  for (const page of document.pages) {
    for (const block of page.blocks) {
      if (block.text.includes(needle)) return { page: page.number, ...block };
    }
  }
  throw new Error(`no block holds "${needle}"`);
}

const allText = (document: ExtractedDocument) =>
  document.pages.flatMap((page) => page.blocks.map((block) => block.text)).join('\n');

describe('extractDocument: PDF', () => {
  it('keeps the page of every text on a three-page PDF, with headings from font sizes', async () => {
    const document = await extractDocument(fixture('three-pages.pdf'), { name: 'Договор.pdf' });
    expect(document.format).toBe('pdf');
    expect(document.title).toBe('Договор');
    expect(document.pages.map((page) => page.number)).toEqual([1, 2, 3]);
    expect(blockWith(document, 'МЕТКА-ПЕРВАЯ').page).toBe(1);
    expect(blockWith(document, 'SECOND-PAGE-MARKER').page).toBe(2);
    expect(blockWith(document, 'МЕТКА-ТРЕТЬЯ').page).toBe(3);
    expect(blockWith(document, 'ПОСЛЕДНЯЯ-МЕТКА').page).toBe(3);
    expect(blockWith(document, 'SECOND-PAGE-MARKER').heading).toEqual([
      'Договор',
      'Section 2. Terms',
    ]);
    expect(blockWith(document, 'МЕТКА-ТРЕТЬЯ').heading).toEqual(['Договор', 'Раздел 3. Штрафы']);
  });

  it('joins text items into words and lines without gluing words together', async () => {
    const text = allText(await extractDocument(fixture('three-pages.pdf'), { name: 'a.pdf' }));
    expect(text).toContain('SECOND-PAGE-MARKER: the payment is due in 30 days. The buyer pays');
    expect(text).toContain('Текст первой страницы о поставке товара. Текст первой страницы');
    expect(text).not.toMatch(/[a-zа-яё]{25,}/i);
    // The footers "1 / 3", "2 / 3", "3 / 3" are page numbers, not text.
    expect(text).not.toMatch(/\d \/ 3/);
  });

  it('leaves the caller’s bytes usable (pdf.js detaches the buffer it is given)', async () => {
    const bytes = fixture('three-pages.pdf');
    const length = bytes.byteLength;
    await extractDocument(bytes, { name: 'a.pdf' });
    expect(bytes.byteLength).toBe(length);
    expect(String.fromCharCode(...bytes.subarray(0, 5))).toBe('%PDF-');
  });

  it('refuses a PDF with more pages than maxPages', async () => {
    const error = await failure(
      extractDocument(fixture('three-pages.pdf'), { name: 'a.pdf' }, { maxPages: 2 }),
      'BOTWIRE_DOCUMENT_TOO_LARGE',
    );
    expect(error.message).toContain('3 pages');
    expect(error.message).toContain('at most 2');
    expect(error.details).toEqual({ pages: 3, maxPages: 2 });
  });

  it('refuses a password-protected PDF', async () => {
    const error = await failure(
      extractDocument(fixture('encrypted.pdf'), { name: 'secret.pdf' }),
      'BOTWIRE_DOCUMENT_ENCRYPTED',
    );
    expect(error.message).toMatch(/password/);
  });

  it('refuses a scanned PDF (images only) saying it has no text', async () => {
    const error = await failure(
      extractDocument(fixture('scanned.pdf'), { name: 'scan.pdf' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
    expect(error.message).toMatch(/no text layer/);
  });

  it('refuses damaged PDFs', async () => {
    const whole = fixture('three-pages.pdf');
    await failure(
      extractDocument(whole.slice(0, whole.length / 2), { name: 'half.pdf' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
    await failure(
      extractDocument(encode('%PDF-1.7\nnothing else here\n'), { name: 'x.pdf' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
  });

  it('stops between pages when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = extractDocument(
      fixture('three-pages.pdf'),
      { name: 'a.pdf' },
      { signal: controller.signal },
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    // Abort right after page 1 is read: pages 2 and 3 are never read.
    const later = new AbortController();
    const check = later.signal.throwIfAborted.bind(later.signal);
    const checks: number[] = [];
    later.signal.throwIfAborted = () => {
      checks.push(checks.length + 1);
      if (checks.length === 3) later.abort();
      check();
    };
    await expect(
      extractDocument(fixture('three-pages.pdf'), { name: 'a.pdf' }, { signal: later.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    // Checked once on entry, then before page 1 and before page 2, where it stopped.
    expect(checks).toEqual([1, 2, 3]);
    const aborted = AbortSignal.abort();
    await expect(
      extractDocument(encode('text'), { name: 'a.txt' }, { signal: aborted }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('extractDocument: DOCX', () => {
  it('reads paragraphs under their heading styles', async () => {
    const document = await extractDocument(fixture('contract.docx'), {
      name: 'contract.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    expect(document.format).toBe('docx');
    expect(document.title).toBe('Договор поставки');
    expect(document.pages).toHaveLength(1);
    expect(document.pages[0]!.number).toBe(1);
    expect(blockWith(document, 'неустойку 0,1 %').heading).toEqual([
      'Договор поставки',
      '5. Штрафы',
    ]);
    expect(blockWith(document, 'канцелярские').heading).toEqual([
      'Договор поставки',
      '1. Предмет договора',
    ]);
    expect(blockWith(document, 'стр. 3 приложения').heading).toEqual(['Приложение']);
    expect(blockWith(document, 'Penalties are capped').text).toBe(
      'Penalties are capped at 10 percent of the contract price.',
    );
  });

  it('finds a DOCX by its content whatever its name', async () => {
    const document = await extractDocument(fixture('contract.docx'), { name: 'upload.bin' });
    expect(document.format).toBe('docx');
  });

  it('refuses a damaged DOCX', async () => {
    const whole = fixture('contract.docx');
    await failure(
      extractDocument(whole.slice(0, 1000), { name: 'contract.docx' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
    await failure(
      extractDocument(encode('just some words'), { name: 'contract.docx' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
  });
});

describe('extractDocument: text, Markdown, HTML', () => {
  it('reads Markdown headings (ATX and setext), not # inside code, and strips inline marks', async () => {
    const document = await extractDocument(fixture('notes.md'), { name: 'notes.md' });
    expect(document.format).toBe('markdown');
    expect(document.title).toBe('Заметки о проекте');
    expect(blockWith(document, 'вступление').text).toBe(
      'Это вступление к заметкам. Оно написано по-русски и со ссылкой.',
    );
    expect(blockWith(document, 'вступление').heading).toEqual(['Заметки о проекте']);
    expect(blockWith(document, 'т.е. через месяц').heading).toEqual(['Заметки о проекте', 'Сроки']);
    expect(blockWith(document, 'Прототип').heading).toEqual(['Заметки о проекте', 'Сроки']);
    expect(blockWith(document, 'Это не заголовок').heading).toEqual(['Заметки о проекте', 'Сроки']);
    expect(blockWith(document, '1.5 million').heading).toEqual(['Заметки о проекте', 'Budget']);
    expect(blockWith(document, 'new path').heading).toEqual(['Second part']);
  });

  it('reads setext headings and takes the title from YAML front matter', async () => {
    // Inline, not a fixture: Biome's Markdown formatter rewrites front matter and setext headings.
    const markdown = [
      '---',
      'title: "Из front matter"',
      '---',
      '',
      'Первая часть',
      '============',
      '',
      'Текст. ![схема](a.png) и `код`',
      '',
      'Вторая часть',
      '------------',
      '> цитата',
      '',
      '| A | B |',
      '|---|---|',
      '| 1 | 2 |',
    ].join('\n');
    const document = await extractDocument(encode(markdown), { name: 'a.md' });
    expect(document.title).toBe('Из front matter');
    expect(document.pages[0]!.blocks).toEqual([
      { text: 'Текст. схема и код', heading: ['Первая часть'] },
      { text: 'цитата', heading: ['Первая часть', 'Вторая часть'] },
      { text: 'A | B', heading: ['Первая часть', 'Вторая часть'] },
      { text: '1 | 2', heading: ['Первая часть', 'Вторая часть'] },
    ]);
  });

  it('reads HTML headings, drops scripts, styles and comments, decodes entities', async () => {
    const document = await extractDocument(fixture('page.html'), { name: 'page.html' });
    expect(document.format).toBe('html');
    expect(document.title).toBe('Справка по доставке');
    expect(blockWith(document, 'Москве').text).toBe('Мы доставляем заказы по Москве за 1–2 дня.');
    expect(blockWith(document, 'Москве').heading).toEqual(['Доставка']);
    expect(blockWith(document, '300 руб.').heading).toEqual(['Доставка', 'Стоимость']);
    expect(blockWith(document, 'refund').text).toBe(
      'You can return goods within 14 days & get a full refund.',
    );
    expect(blockWith(document, 'refund').heading).toEqual(['Доставка', 'Returns']);
    expect(blockWith(document, 'Москва |').text).toBe('Москва | 1 день');
    const text = allText(document);
    expect(text).not.toMatch(/not text|color: red|comment/);
  });

  it('keeps the text of a heading whose section is empty', async () => {
    const document = await extractDocument(encode('<h2>Только заголовок</h2><h2>B</h2><p>x</p>'), {
      name: 'a.html',
    });
    expect(document.pages[0]!.blocks).toEqual([
      { text: 'Только заголовок', heading: ['Только заголовок'] },
      { text: 'x', heading: ['B'] },
    ]);
  });

  it('reads plain text paragraphs split at blank lines', async () => {
    const document = await extractDocument(
      encode('Первый абзац,\nвторая строка.\n\n\nВторой абзац.'),
      {
        name: 'a.txt',
      },
    );
    expect(document.format).toBe('text');
    expect(document.pages).toEqual([
      { number: 1, blocks: [{ text: 'Первый абзац, вторая строка.' }, { text: 'Второй абзац.' }] },
    ]);
  });

  it('decodes Windows-1251 Russian text that is not UTF-8', async () => {
    const document = await extractDocument(fixture('cp1251.txt'), { name: 'protocol.txt' });
    expect(document.pages[0]!.blocks[0]!.text).toBe('Протокол собрания жильцов');
    expect(allText(document)).toContain(
      'Смета на ремонт: 150 000 руб., т.е. по 3 000 руб. с квартиры.',
    );
  });

  it('decodes UTF-8 with a BOM and UTF-16 with either BOM', async () => {
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...encode('Привет, мир')]);
    expect((await extractDocument(utf8, { name: 'a.txt' })).pages[0]!.blocks[0]!.text).toBe(
      'Привет, мир',
    );
    const little = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Ёжик в тумане', 'utf16le'),
    ]);
    expect((await extractDocument(little, { name: 'a.txt' })).pages[0]!.blocks[0]!.text).toBe(
      'Ёжик в тумане',
    );
    const big = Buffer.from(little);
    for (let index = 0; index < big.length; index += 2) {
      [big[index], big[index + 1]] = [big[index + 1]!, big[index]!];
    }
    expect((await extractDocument(big, { name: 'a.txt' })).pages[0]!.blocks[0]!.text).toBe(
      'Ёжик в тумане',
    );
  });

  it('takes the format from the MIME type, or from the content, when the name has no extension', async () => {
    const markdown = await extractDocument(encode('# Title\n\nBody.'), {
      name: 'notes',
      mimeType: 'text/markdown',
    });
    expect(markdown.format).toBe('markdown');
    expect(markdown.pages[0]!.blocks).toEqual([{ text: 'Body.', heading: ['Title'] }]);
    const html = await extractDocument(encode('<!doctype html><h1>A</h1><p>B</p>'), {
      name: 'page',
    });
    expect(html.format).toBe('html');
    const text = await extractDocument(encode('# not a heading here'), { name: 'a.txt' });
    expect(text.pages[0]!.blocks).toEqual([{ text: '# not a heading here' }]);
    const about = await extractDocument(encode('A PDF file starts with %PDF-1.7.'), {
      name: 'a.md',
    });
    expect(about.format).toBe('markdown');
    const late = new Uint8Array([...encode('junk\n'), ...fixture('three-pages.pdf')]);
    expect((await extractDocument(late, { name: 'scan' })).format).toBe('pdf');
  });
});

describe('extractDocument: refusals', () => {
  it('refuses a 30 MB file at once, before any parsing, naming both sizes', async () => {
    const bytes = new Uint8Array(30 * 1024 * 1024);
    bytes.set(encode('%PDF-1.7\n'));
    const started = performance.now();
    const error = await failure(
      extractDocument(bytes, { name: 'big.pdf' }),
      'BOTWIRE_DOCUMENT_TOO_LARGE',
    );
    expect(performance.now() - started).toBeLessThan(50);
    expect(error.message).toBe('The file is 30 MB; documents may be at most 20 MB.');
    expect(error.details).toEqual({ sizeBytes: 30 * 1024 * 1024, maxBytes: 20 * 1024 * 1024 });
  });

  it('honours maxBytes', async () => {
    await failure(
      extractDocument(encode('x'.repeat(2000)), { name: 'a.txt' }, { maxBytes: 1000 }),
      'BOTWIRE_DOCUMENT_TOO_LARGE',
    );
    const fits = await extractDocument(
      encode('x'.repeat(1000)),
      { name: 'a.txt' },
      { maxBytes: 1000 },
    );
    expect(fits.pages[0]!.blocks[0]!.text).toHaveLength(1000);
  });

  it('refuses a PNG renamed to .txt as binary data', async () => {
    const error = await failure(
      extractDocument(fixture('image-named.txt'), {
        name: 'image-named.txt',
        mimeType: 'text/plain',
      }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
    expect(error.message).toBe(
      'The file is named .txt but holds binary data (a PNG image), not text.',
    );
  });

  it('refuses binary data without a known signature in a .txt (NUL bytes, invalid UTF-8)', async () => {
    const withNul = encode('hello\0world');
    const error = await failure(
      extractDocument(withNul, { name: 'a.txt' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
    expect(error.message).toMatch(/named \.txt but holds binary data/);
    const noise = new Uint8Array(4096).map((_, index) => 0x80 + ((index * 37) % 64));
    await failure(extractDocument(noise, { name: 'a.md' }), 'BOTWIRE_DOCUMENT_UNREADABLE');
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...encode('text')]);
    const elfError = await failure(
      extractDocument(elf, { name: 'run.txt' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
    expect(elfError.message).toContain('ELF');
  });

  it('refuses formats it does not read, naming what it found and what it accepts', async () => {
    const png = await failure(
      extractDocument(fixture('image-named.txt'), { name: 'photo.png' }),
      'BOTWIRE_DOCUMENT_UNSUPPORTED',
    );
    expect(png.message).toContain('a PNG image');
    expect(png.message).toContain('PDF, DOCX, TXT, Markdown or HTML');
    const xlsx = await failure(
      extractDocument(fixture('table.xlsx'), { name: 'table.xlsx' }),
      'BOTWIRE_DOCUMENT_UNSUPPORTED',
    );
    expect(xlsx.details.detected).toBe('an Excel workbook (.xlsx)');
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const doc = await failure(
      extractDocument(ole, { name: 'old.doc' }),
      'BOTWIRE_DOCUMENT_UNSUPPORTED',
    );
    expect(doc.message).toContain('.doc');
    const gzip = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    const archive = await failure(
      extractDocument(gzip, { name: 'a.tar.gz' }),
      'BOTWIRE_DOCUMENT_UNSUPPORTED',
    );
    expect(archive.details.detected).toBe('a gzip archive');
    const unknown = new Uint8Array(512).map((_, index) => (index * 7) % 256);
    await failure(extractDocument(unknown, { name: 'blob.bin' }), 'BOTWIRE_DOCUMENT_UNSUPPORTED');
  });

  it('refuses a password-protected Office file as encrypted', async () => {
    const ole = new Uint8Array(2048);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    ole.set(Buffer.from('EncryptedPackage', 'utf16le'), 1024);
    const error = await failure(
      extractDocument(ole, { name: 'secret.docx' }),
      'BOTWIRE_DOCUMENT_ENCRYPTED',
    );
    expect(error.message).toMatch(/Office file is protected with a password/);
  });

  it('refuses a file named .pdf that is not a PDF', async () => {
    const error = await failure(
      extractDocument(encode('plain words'), { name: 'report.pdf' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
    expect(error.message).toContain('named .pdf but is not a PDF');
  });

  it('refuses empty files and files with only whitespace', async () => {
    await failure(
      extractDocument(new Uint8Array(0), { name: 'a.txt' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
    await failure(
      extractDocument(encode(' \n\n\t '), { name: 'a.md' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
    await failure(
      extractDocument(encode('<html><script>x()</script></html>'), { name: 'a.html' }),
      'BOTWIRE_DOCUMENT_UNREADABLE',
    );
  });
});
