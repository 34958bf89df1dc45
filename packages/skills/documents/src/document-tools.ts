import {
  type Attachment,
  BotwireError,
  isBotwireError,
  type ToolContext,
  type ToolHandlers,
} from '@botwire/core';
import { chunkDocument } from './chunk/chunk-document';
import { type DocumentHit, DocumentStore, sha256 } from './document-store';
import { extractDocument } from './extract/extract-document';
import type { SkillInputs } from './skill-types';

const mebibyte = 1024 * 1024;

/** The skill's options, with the defaults of its config_schema. */
function settings(config: Record<string, unknown>) {
  const number = (key: string, fallback: number) =>
    typeof config[key] === 'number' ? (config[key] as number) : fallback;
  return {
    maxBytes: Math.round(number('maxFileMb', 20) * mebibyte),
    maxPages: number('maxPages', 500),
    maxDocuments: number('maxDocuments', 100),
    chunkChars: number('chunkChars', 700),
  };
}

/** The documents of the user a tool runs for. */
export function documentStoreFor(context: ToolContext): DocumentStore {
  return new DocumentStore(context.userStorage, context.vectors, context.embeddings);
}

const megabytes = (bytes: number) => `${Number((bytes / mebibyte).toFixed(1))}`;

/** "p. 3" or "pp. 3–4", in the user's language. */
function pages(context: ToolContext, hit: Pick<DocumentHit, 'page' | 'pageEnd'>): string {
  return hit.pageEnd && hit.pageEnd !== hit.page
    ? context.t('pages', { from: hit.page, to: hit.pageEnd })
    : context.t('page', { page: hit.page });
}

/** A passage as the reply shows it: the text, then the citation. */
function citeHit(context: ToolContext, hit: DocumentHit): string {
  const text = hit.text.length > 500 ? `${hit.text.slice(0, 500)}…` : hit.text;
  return `«${text}» — ${hit.fileName}, ${pages(context, hit)}`;
}

/** The same error, with a message in the user's language (the code and details stay). */
function inUserLanguage(context: ToolContext, error: BotwireError): BotwireError {
  const key = {
    BOTWIRE_DOCUMENT_TOO_LARGE: 'too_large',
    BOTWIRE_DOCUMENT_UNSUPPORTED: 'unsupported',
    BOTWIRE_DOCUMENT_ENCRYPTED: 'encrypted',
    BOTWIRE_DOCUMENT_UNREADABLE: 'unreadable',
  }[error.code as string];
  if (!key) return error;
  return new BotwireError(error.code, {
    message: `${context.t(key, { max: megabytes(settings(context.config).maxBytes) })} ${error.message}`,
    ...(error.hint ? { hint: error.hint } : {}),
    details: error.details,
  });
}

function pickFile(context: ToolContext): Attachment {
  const attachment = context.message?.attachments.find((item) => item.kind === 'document');
  if (!attachment?.download) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: context.t('no_file'),
    });
  }
  return attachment;
}

/** The handlers of the documents skill's tools. */
export const documentTools: ToolHandlers<SkillInputs> = {
  async doc_add(input, context) {
    const limits = settings(context.config);
    const attachment = pickFile(context);
    const name = (attachment.name ?? 'document').replace(/[\\/]/g, '_').slice(0, 255);
    try {
      // The messenger said how big it is: refuse before downloading it.
      if (attachment.size !== undefined && attachment.size > limits.maxBytes) {
        throw new BotwireError('BOTWIRE_DOCUMENT_TOO_LARGE', {
          message: `The file is ${megabytes(attachment.size)} MB; documents may be at most ${megabytes(limits.maxBytes)} MB.`,
          hint: 'Send a smaller file, or split the document into parts.',
          details: { sizeBytes: attachment.size, maxBytes: limits.maxBytes },
        });
      }
      const store = documentStoreFor(context);
      const existing = await store.list();
      if (existing.length >= limits.maxDocuments) {
        return {
          text: context.t('too_many', { max: limits.maxDocuments }),
          data: { added: false, reason: 'too-many' },
        };
      }
      const bytes = await attachment.download!(context.signal);
      const hash = sha256(bytes);
      const duplicate = existing.find((document) => document.sha256 === hash);
      if (duplicate) {
        return {
          text: context.t('duplicate', { name: duplicate.name, id: duplicate.id }),
          data: { added: false, reason: 'duplicate', document: duplicate },
        };
      }
      const extracted = await extractDocument(
        bytes,
        { name, ...(attachment.mimeType ? { mimeType: attachment.mimeType } : {}) },
        { maxBytes: limits.maxBytes, maxPages: limits.maxPages, signal: context.signal },
      );
      const chunks = chunkDocument(extracted, {
        targetChars: limits.chunkChars,
        overlapChars: Math.round(limits.chunkChars / 7),
      });
      if (chunks.length === 0) {
        throw new BotwireError('BOTWIRE_DOCUMENT_UNREADABLE', {
          message: 'The document has no text to index.',
        });
      }
      const document = await store.add(
        {
          name,
          ...(extracted.title ? { title: extracted.title } : {}),
          format: extracted.format,
          pages: extracted.pages.length,
          bytes: bytes.byteLength,
          sha256: hash,
          addedAt: new Date().toISOString(),
          ...(context.message
            ? {
                source: {
                  platform: context.message.platform,
                  messageId: context.message.platformMessageId,
                },
              }
            : {}),
          ...(input.note ? { note: input.note } : {}),
        },
        chunks,
        { signal: context.signal },
      );
      context.log.info('document-added', {
        document: document.id,
        format: document.format,
        pages: document.pages,
        chunks: document.chunks,
        bytes: document.bytes,
      });
      return {
        text: context.t('added', { name, pages: document.pages, chunks: document.chunks }),
        data: { added: true, document },
      };
    } catch (error) {
      if (isBotwireError(error)) throw inUserLanguage(context, error);
      throw error;
    }
  },

  async doc_search(input, context) {
    const store = documentStoreFor(context);
    const all = await store.list();
    if (all.length === 0) return { text: context.t('none_yet'), data: { results: [] } };
    const scope = input.document ? await store.resolve(input.document, all) : [];
    const hits = await store.search(input.query, {
      limit: input.limit ?? 5,
      documents: all,
      ...(scope.length ? { within: scope } : {}),
    });
    const results = hits.map((hit) => ({
      ...hit,
      score: Math.round(hit.score * 1000) / 1000,
      citation: `${hit.fileName}, ${pages(context, hit)}`,
    }));
    if (results.length === 0)
      return { text: context.t('nothing_found', { query: input.query }), data: { results } };
    const note =
      input.document && scope.length === 0
        ? `${context.t('searched_all', { document: input.document })}\n`
        : '';
    return {
      text: `${note}${hits.map((hit) => citeHit(context, hit)).join('\n\n')}`,
      data: { results },
    };
  },

  async doc_list(_input, context) {
    const documents = await documentStoreFor(context).list();
    if (documents.length === 0) return { text: context.t('none_yet'), data: { documents } };
    const lines = documents.map((document) =>
      context.t('list_line', {
        name: document.name,
        id: document.id,
        pages: document.pages,
        size: megabytes(document.bytes),
      }),
    );
    return {
      text: [context.t('list_header', { count: documents.length }), ...lines].join('\n'),
      data: { documents },
    };
  },

  async doc_delete(input, context) {
    const store = documentStoreFor(context);
    const documents = await store.list();
    const wanted = input.document.trim();
    const found =
      documents.find((document) => document.id === wanted) ??
      documents.find((document) => document.name.toLowerCase() === wanted.toLowerCase());
    if (!found)
      return { text: context.t('not_found', { document: wanted }), data: { deleted: false } };
    await store.remove(found);
    return {
      text: context.t('deleted', { name: found.name }),
      data: { deleted: true, id: found.id },
    };
  },
};
