import { defineSkill } from '@botwire/core';
import { pdfCreate } from './pdf-create';
import type { SkillInputs } from './skill-types';

export {
  type ParsedMarkdown,
  parseMarkdown,
  plainText,
} from './markdown-to-content';
export { type PdfCreateReply, pdfCreate, pdfFileName } from './pdf-create';
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
    },
    ru: {
      made: 'PDF «{title}», страниц: {pages}',
      made_one: 'PDF «{title}», 1 страница',
      untitled: 'Документ',
    },
  },
  tools: { pdf_create: pdfCreate },
});

export default skill;
