import { fileURLToPath } from 'node:url';
import {
  type Bot,
  createBot,
  isBotwireError,
  loadSkills,
  type SkillRegistry,
  silentLogger,
} from '@botwire/core';
import { scriptedChatModel, testAdapter } from '@botwire/core/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PdfCreateReply, pdfCreate, pdfFileName } from './pdf-create';
import { normalizeSpace, poppler, popplerTools } from './testing/poppler';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const context = { locale: 'en', t: (key: string) => (key === 'untitled' ? 'Document' : key) };

describe('pdf_create handler', () => {
  it('takes the title from the first heading when none is given', async () => {
    const reply = await pdfCreate({ markdown: '# Квартальный отчёт\n\nТекст.' }, context);
    expect(reply.data).toMatchObject({ title: 'Квартальный отчёт', pages: 1 });
    expect(reply.data.bytes).toBe(reply.artifacts[0].data.byteLength);
    expect(reply.artifacts[0]).toMatchObject({
      name: 'Квартальный отчёт.pdf',
      mimeType: 'application/pdf',
    });
  });

  it('takes the title from the first line without a heading, and a given title first', async () => {
    const plain = await pdfCreate({ markdown: '**Shopping** list:\n\n- milk' }, context);
    expect(plain.data.title).toBe('Shopping list:');
    const given = await pdfCreate({ title: ' Report ', markdown: '# Other\n\ntext' }, context);
    expect(given.data.title).toBe('Report');
    const none = await pdfCreate({ markdown: '---' }, context);
    expect(none.data).toMatchObject({ title: 'Document', fileName: 'Document.pdf' });
  });

  it.skipIf(!popplerTools.available)('writes a given title first, above the text', async () => {
    const given = await pdfCreate({ title: ' Report ', markdown: '# Other\n\ntext' }, context);
    const text = normalizeSpace(poppler('pdftotext', given.artifacts[0].data));
    expect(text).toMatch(/^Report Other text/);
  });

  it('makes safe file names that keep Cyrillic', () => {
    expect(pdfFileName('Отчёт: Q1/2025')).toBe('Отчёт Q1-2025.pdf');
    expect(pdfFileName('../../etc/passwd')).toBe('etc-passwd.pdf');
    expect(pdfFileName('a\u0000b<c>?.pdf')).toBe('abc.pdf');
    expect(pdfFileName('notes.PDF')).toBe('notes.pdf');
    expect(pdfFileName('...')).toBe('document.pdf');
    expect(pdfFileName('x'.repeat(300))).toBe(`${'x'.repeat(100)}.pdf`);
  });
});

describe('the pdf skill through the skill loader', () => {
  let registry: SkillRegistry;
  beforeAll(async () => {
    registry = await loadSkills([{ use: '.', permissions: [] }], { baseDir: packageDir });
  });

  const rejection = async (args: unknown) => {
    try {
      await registry.callTool('pdf_create', args, { locale: 'en' });
    } catch (error) {
      if (isBotwireError(error)) return error;
      throw error;
    }
    throw new Error('expected pdf_create to reject its arguments');
  };

  it('loads the manifest and the handler, and makes a PDF', async () => {
    expect(registry.skills.map((skill) => skill.manifest.name)).toEqual(['pdf']);
    const reply = (await registry.callTool(
      'pdf_create',
      { title: 'Итоги', markdown: '- ёж\n- Ёлка', fileName: 'itogi' },
      { locale: 'ru' },
    )) as PdfCreateReply;
    expect(reply.text).toBe('PDF «Итоги», 1 страница');
    expect(reply.artifacts.map((artifact) => artifact.name)).toEqual(['itogi.pdf']);
    expect(reply.data).toMatchObject({ pages: 1, fileName: 'itogi.pdf' });
    const english = (await registry.callTool('pdf_create', { markdown: '# Hi' })) as PdfCreateReply;
    expect(english.text).toBe('PDF "Hi", 1 page');
  });

  it('rejects empty Markdown, a missing one, a title too long and unknown arguments', async () => {
    for (const args of [
      { markdown: '' },
      { title: 'No content' },
      { title: 'x'.repeat(201), markdown: 'text' },
      { title: '', markdown: 'text' },
      { markdown: 'text', pages: 3 },
    ]) {
      const error = await rejection(args);
      expect(error.code).toBe('BOTWIRE_TOOL_ARGUMENTS_INVALID');
    }
    expect((await rejection({ markdown: '' })).message).toMatch(/markdown/);
  });
});

describe('the /pdf command and plain-language patterns (no model)', () => {
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  const start = async (withModel: boolean) => {
    const test = testAdapter();
    const model = scriptedChatModel();
    bot = createBot({
      config: { storage: 'memory', access: 'open', skills: [{ use: packageDir, permissions: [] }] },
      adapters: [test.adapter],
      log: silentLogger,
      ...(withModel ? { model } : {}),
    });
    await bot.start();
    return { test, model };
  };

  it('makes PDFs from /pdf, "make a pdf:" and "сделай pdf:" with zero model calls', async () => {
    const { test, model } = await start(true);
    const [command] = await test.say(
      '/pdf # Квартальный отчёт\n\n| a | b |\n|---|---|\n| 1 | 2 |',
      { locale: 'en' },
    );
    expect(command?.text).toBe('PDF "Квартальный отчёт", 1 page');
    expect(command?.artifacts?.[0]?.name).toBe('Квартальный отчёт.pdf');

    const [english] = await test.say('Make me a PDF from:\n# Notes\n\nBuy **milk**.');
    expect(english?.text).toBe('PDF "Notes", 1 page');
    if (popplerTools.available) {
      // The PDF holds the text after the phrase (read back with poppler-utils, when installed).
      const text = normalizeSpace(poppler('pdftotext', english!.artifacts![0]!.data));
      expect(text).toMatch(/^Notes Buy milk\./);
    }

    const [russian] = await test.say('Сделай PDF: # Список покупок\n- молоко\n- хлеб', {
      locale: 'ru',
    });
    expect(russian?.text).toBe('PDF «Список покупок», 1 страница');
    expect(russian?.artifacts?.[0]?.mimeType).toBe('application/pdf');
    expect(model.requests).toHaveLength(0);
  });

  it('leaves a request without content after it to the model', async () => {
    const { test } = await start(false);
    const [reply] = await test.say('make a pdf of the search results about cats');
    expect(reply?.artifacts ?? []).toEqual([]);
    const [empty] = await test.say('/pdf');
    expect(empty?.artifacts ?? []).toEqual([]);
  });
});
