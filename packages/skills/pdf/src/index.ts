import { defineSkill } from '@botwire/core';
import { pdfCreate } from './pdf-create';
import type { SkillInputs } from './skill-types';

export { type BuiltPdf, buildPdf, type PdfJob } from './build-pdf';
export {
  type ParsedMarkdown,
  parseMarkdown,
  plainText,
} from './markdown-to-content';
export {
  type PdfCreateOptions,
  type PdfCreateReply,
  pdfCreate,
  pdfFileName,
} from './pdf-create';
export { PdfWorkerPool, type PdfWorkerPoolOptions } from './pdf-worker-pool';
export { type RenderedPdf, type RenderPdfOptions, renderPdf } from './render-pdf';
export type { PdfCreateInput, SkillInputs } from './skill-types';

/**
 * The `pdf` skill: one tool, `pdf_create`, that turns Markdown into a PDF file (declared in
 * `skill.json` with the `/pdf` command and plain-language patterns). Add it to a bot with
 * `skills: [{ use: '@botwire/skill-pdf', permissions: [] }]`.
 */
const skill = defineSkill<SkillInputs>({
  strings: {
    en: {
      made: 'PDF "{title}", {pages} pages',
      made_one: 'PDF "{title}", 1 page',
      untitled: 'Document',
      too_complex:
        'This document is too complex to turn into a PDF: rendering took longer than {seconds} s and was stopped. Make it shorter or simpler (fewer nested brackets, lists or quotes), or split it into parts.',
      too_large:
        'This document is too complex to turn into a PDF: rendering needed too much memory and was stopped. Make it shorter or simpler, or split it into parts.',
    },
    ru: {
      made: 'PDF «{title}», страниц: {pages}',
      made_one: 'PDF «{title}», 1 страница',
      untitled: 'Документ',
      too_complex:
        'Этот документ слишком сложный для PDF: вёрстка заняла больше {seconds} с и была остановлена. Сократите или упростите его (меньше вложенных скобок, списков и цитат) или разбейте на части.',
      too_large:
        'Этот документ слишком сложный для PDF: вёрстке не хватило памяти, и она была остановлена. Сократите или упростите его или разбейте на части.',
    },
  },
  tools: { pdf_create: pdfCreate },
});

export default skill;
