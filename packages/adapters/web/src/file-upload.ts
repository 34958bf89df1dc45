import { type Attachment, BotwireError, type JsonSchemaType } from '@botwire/core';
import { chatRequestSchema, parseBody } from './chat-request';

/** The largest file `POST /api/v1/files` takes by default: 50 MiB. */
export const defaultMaxUploadBytes = 50 * 2 ** 20;

/**
 * Room in the body for what surrounds the file: the multipart boundaries and part headers, and
 * the text fields (a caption of 20,000 characters is at most 60 KB of UTF-8).
 */
export const formOverheadBytes = 256 * 1024;

/** What the chat history keeps of a file the user sent: never its bytes. */
export interface UploadedFile {
  name: string;
  mimeType: string;
  size: number;
}

/** A file the user sent from the web chat, its bytes held in memory while its message runs. */
export interface WebUpload extends UploadedFile {
  /** The bytes, as the multipart parser left them (read only when a skill downloads them). */
  data: Blob;
}

/**
 * The text fields of `POST /api/v1/files` beside the `file` part: the same rules as the fields
 * of `POST /api/v1/chat` (`text` is the caption and may be left out), and the page's `clientId`.
 */
export function uploadFieldsSchema(maxText: number) {
  const { text, userId, locale } = chatRequestSchema(maxText).properties;
  return {
    type: 'object',
    properties: {
      text: { type: 'string', maxLength: text.maxLength, description: 'A caption for the file.' },
      userId,
      locale,
      clientId: {
        type: 'string',
        pattern: '^[\\w-]{1,64}$',
        description:
          "The page's id for the message, kept with it in the chat's history so the page can match the echo.",
      },
    },
  } as const;
}

/** The text fields `POST /api/v1/files` accepts. */
export type UploadFields = JsonSchemaType<ReturnType<typeof uploadFieldsSchema>>;

const textFields = new Set(['text', 'userId', 'locale', 'clientId']);

/** A form that failed: the message of the answer and its status. */
export interface UploadProblem {
  problem: string;
  status: 400 | 413;
}

/**
 * Checks a parsed `multipart/form-data` body: exactly one file, in the field `file`, not empty
 * and at most `maxBytes`; each text field at most once and valid. The file's name is made safe
 * and its type normalised; its bytes are not read yet.
 *
 * @example
 * const checked = readUploadForm(await request.formData(), uploadFieldsSchema(20_000), 50 * 2 ** 20);
 * if ('problem' in checked) return json({ error: { message: checked.problem } }, checked.status);
 */
export function readUploadForm(
  form: FormData,
  fieldsSchema: object,
  maxBytes: number,
): { value: { fields: UploadFields; file: File; name: string; mimeType: string } } | UploadProblem {
  const files: File[] = [];
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string') {
      if (key !== 'file')
        return invalid(`Send the file in the field "file" (a file came in "${key}").`);
      files.push(value);
    } else if (key === 'file') {
      return invalid('The field "file" must be a file part (with a filename), not text.');
    } else if (textFields.has(key)) {
      if (key in fields) return invalid(`The field "${key}" came more than once.`);
      fields[key] = value;
    }
  }
  if (files.length === 0) return invalid('No file: send one in the multipart field "file".');
  if (files.length > 1)
    return invalid(`Send one file at a time (${files.length} came in the field "file").`);
  const file = files[0]!;
  if (file.size === 0) return invalid('The file is empty.');
  if (file.size > maxBytes) return { problem: tooLargeMessage(maxBytes), status: 413 };
  const parsed = parseBody<UploadFields>(fieldsSchema, fields);
  if ('problem' in parsed) return invalid(parsed.problem);
  return {
    value: {
      fields: parsed.value,
      file,
      name: safeFileName(file.name),
      mimeType: normalMimeType(file.type),
    },
  };
}

function invalid(problem: string): UploadProblem {
  return { problem, status: 400 };
}

/** The 413 message: the limit in MB (MiB, as the skills count), and in bytes. */
export function tooLargeMessage(maxBytes: number): string {
  const megabytes = maxBytes / 2 ** 20;
  const shown =
    megabytes >= 1 ? String(Math.round(megabytes * 10) / 10) : String(megabytes.toPrecision(2));
  return `The file is larger than the limit of ${shown} MB (${maxBytes} bytes).`;
}

/** Control characters, line breaks, and the marks that reverse text (`invoice\u202Efdp.exe`). */
const unsafeCharacters = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A file name fit to show and to hand to skills: the last part of a path (`C:\a\b.pdf` →
 * `b.pdf`), without control characters, at most 255 characters; `file` when nothing is left.
 *
 * @example
 * safeFileName('../../etc/passwd') // → 'passwd'
 */
export function safeFileName(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  const clean = last.replace(unsafeCharacters, '').trim();
  if (!clean || clean === '.' || clean === '..') return 'file';
  // By code points, so a character outside the BMP is never cut in half.
  const points = [...clean];
  return points.length <= 255 ? clean : points.slice(0, 255).join('');
}

const mimePattern = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** `Image/PNG; charset=x` → `image/png`; anything not a media type → `application/octet-stream`. */
export function normalMimeType(type: string): string {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return mimePattern.test(bare) ? bare : 'application/octet-stream';
}

/** The attachment kind of a media type: `photo` for images, `audio`, `video`, else `document`. */
export function attachmentKind(mimeType: string): 'photo' | 'audio' | 'video' | 'document' {
  if (mimeType.startsWith('image/')) return 'photo';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType.startsWith('video/')) return 'video';
  return 'document';
}

/**
 * The message's attachment for an upload. `download()` reads the bytes (a new array each time)
 * until `release()` is called once the message has been processed; after that it fails, so
 * the bytes are not kept by anything that holds on to the message.
 */
export function uploadAttachment(upload: WebUpload): {
  attachment: Attachment;
  release: () => void;
} {
  let data: Blob | undefined = upload.data;
  const attachment: Attachment = {
    kind: attachmentKind(upload.mimeType),
    name: upload.name,
    mimeType: upload.mimeType,
    size: upload.size,
    download: async (signal?: AbortSignal) => {
      signal?.throwIfAborted();
      if (!data)
        throw new BotwireError('BOTWIRE_NOT_FOUND', {
          message: `The web chat no longer holds "${upload.name}": a file's bytes are kept only while its message is processed.`,
        });
      return new Uint8Array(await data.arrayBuffer());
    },
  };
  return {
    attachment,
    release: () => {
      data = undefined;
    },
  };
}
