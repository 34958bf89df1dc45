import { defineSkill } from '@botwire/core';
import { documentTools } from './document-tools';
import type { SkillInputs } from './skill-types';

export {
  type ChunkDocumentOptions,
  chunkDocument,
  type DocumentChunk,
} from './chunk/chunk-document';
export { type DocumentHit, type DocumentRecord, DocumentStore, sha256 } from './document-store';
export { documentStoreFor } from './document-tools';
export {
  type DocumentBlock,
  type DocumentFile,
  type DocumentFormat,
  type DocumentPage,
  type ExtractDocumentOptions,
  type ExtractedDocument,
  extractDocument,
} from './extract/extract-document';
export type { SkillInputs } from './skill-types';

/**
 * The `documents` skill: a document the user sends (PDF, DOCX, TXT, Markdown, HTML) is read,
 * split into passages with their page and heading, and indexed for that user alone; `doc_search`
 * finds passages with citations (file name and page), `doc_list` and `doc_delete` manage them.
 * Add it to a bot with `skills: [{ use: '@botwire/skill-documents', permissions: ['storage'] }]`.
 */
const skill = defineSkill<SkillInputs>({
  strings: {
    en: {
      added:
        'Added {name}: {pages} pages, {chunks} passages. Ask me about it, or search with /doc_search.',
      duplicate: 'I already have this file as {name} ({id}).',
      too_many: 'You have {max} documents, the most I keep. Delete one with /doc_delete first.',
      no_file: 'Send a document file (PDF, DOCX, TXT, Markdown or HTML) to add it.',
      none_yet: 'You have no documents yet. Send me a PDF, DOCX, TXT, Markdown or HTML file.',
      nothing_found: 'Nothing in your documents matches "{query}".',
      searched_all: 'No document is called "{document}"; I searched all of them.',
      list_header: 'Your documents ({count}):',
      list_line: '• {name} ({id}), {pages} p., {size} MB',
      not_found: 'You have no document "{document}". /docs lists them.',
      deleted: 'Deleted {name}.',
      page: 'p. {page}',
      pages: 'pp. {from}–{to}',
      too_large: 'This file is too large (at most {max} MB).',
      unsupported:
        'I cannot read this kind of file as a document (PDF, DOCX, TXT, Markdown or HTML).',
      encrypted: 'This PDF is protected with a password; send a copy without it.',
      unreadable: 'I could not read this file.',
    },
    ru: {
      added:
        'Добавил {name}: страниц — {pages}, фрагментов — {chunks}. Спрашивайте о нём или ищите через /doc_search.',
      duplicate: 'Этот файл у меня уже есть: {name} ({id}).',
      too_many:
        'У вас уже {max} документов — больше я не храню. Сначала удалите один: /doc_delete.',
      no_file: 'Пришлите файл документа (PDF, DOCX, TXT, Markdown или HTML), чтобы добавить его.',
      none_yet: 'У вас пока нет документов. Пришлите файл PDF, DOCX, TXT, Markdown или HTML.',
      nothing_found: 'В ваших документах ничего не нашлось по запросу «{query}».',
      searched_all: 'Документа «{document}» нет; я искал во всех.',
      list_header: 'Ваши документы ({count}):',
      list_line: '• {name} ({id}), стр.: {pages}, {size} МБ',
      not_found: 'Документа «{document}» нет. /docs покажет список.',
      deleted: 'Удалил {name}.',
      page: 'стр. {page}',
      pages: 'стр. {from}–{to}',
      too_large: 'Файл слишком большой (не больше {max} МБ).',
      unsupported:
        'Такой файл я не могу прочитать как документ (нужен PDF, DOCX, TXT, Markdown или HTML).',
      encrypted: 'Этот PDF защищён паролем; пришлите копию без пароля.',
      unreadable: 'Не удалось прочитать файл.',
    },
  },
  tools: documentTools,
});

export default skill;
