import { describe, expect, it } from 'vitest';
import {
  attachmentKind,
  normalMimeType,
  readUploadForm,
  safeFileName,
  tooLargeMessage,
  uploadAttachment,
  uploadFieldsSchema,
} from './file-upload';

describe('safeFileName', () => {
  it('keeps the last part of a path, without control or direction characters', () => {
    expect(safeFileName('report.pdf')).toBe('report.pdf');
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\ann\\Отчёт.docx')).toBe('Отчёт.docx');
    expect(safeFileName('a\u0000b\nc.txt')).toBe('abc.txt');
    expect(safeFileName('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
    expect(safeFileName('  spaced.txt ')).toBe('spaced.txt');
  });

  it('gives "file" when nothing is left, and cuts at 255 characters, never inside one', () => {
    for (const name of ['', '/', 'dir/', '..', '.', '\u0001'])
      expect(safeFileName(name)).toBe('file');
    expect(safeFileName('x'.repeat(300))).toHaveLength(255);
    const emoji = safeFileName('😀'.repeat(300));
    expect([...emoji]).toHaveLength(255);
    expect(emoji).toBe('😀'.repeat(255));
  });
});

describe('attachment kinds and media types', () => {
  it('maps images to photos, audio and video to theirs, the rest to documents', () => {
    expect(attachmentKind('image/jpeg')).toBe('photo');
    expect(attachmentKind('audio/ogg')).toBe('audio');
    expect(attachmentKind('video/mp4')).toBe('video');
    expect(attachmentKind('application/pdf')).toBe('document');
    expect(attachmentKind('application/octet-stream')).toBe('document');
  });

  it('normalises the media type, and falls back to octet-stream', () => {
    expect(normalMimeType('Image/PNG; charset=binary')).toBe('image/png');
    expect(normalMimeType('')).toBe('application/octet-stream');
    expect(normalMimeType('not a type')).toBe('application/octet-stream');
    expect(normalMimeType('text/html\r\nx-evil: 1')).toBe('application/octet-stream');
  });

  it('names the limit in MB', () => {
    expect(tooLargeMessage(50 * 2 ** 20)).toBe(
      'The file is larger than the limit of 50 MB (52428800 bytes).',
    );
    expect(tooLargeMessage(1536 * 1024)).toMatch(/limit of 1.5 MB/);
  });
});

describe('readUploadForm', () => {
  const schema = uploadFieldsSchema(100);
  const form = (...entries: Array<[string, string | File]>) => {
    const data = new FormData();
    for (const [key, value] of entries) data.append(key, value);
    return data;
  };
  const one = new File([new Uint8Array([1, 2, 3])], 'dir/a.bin', { type: 'text/plain' });

  it('takes one file and the text fields, ignoring fields it does not know', () => {
    const checked = readUploadForm(
      form(['file', one], ['text', 'caption'], ['locale', 'ru'], ['other', 'x']),
      schema,
      10,
    );
    expect('value' in checked && checked.value).toMatchObject({
      fields: { text: 'caption', locale: 'ru' },
      name: 'a.bin',
      mimeType: 'text/plain',
    });
  });

  it('refuses a missing, repeated, empty, misplaced or too large file, and bad fields', () => {
    const problem = (data: FormData, max = 10) => {
      const checked = readUploadForm(data, schema, max);
      return 'problem' in checked ? [checked.status, checked.problem] : undefined;
    };
    expect(problem(form(['text', 'hi']))).toEqual([400, expect.stringMatching(/No file/)]);
    expect(problem(form(['file', one], ['file', one]))).toEqual([
      400,
      expect.stringMatching(/one file/),
    ]);
    expect(problem(form(['file', new File([], 'e.txt')]))).toEqual([400, 'The file is empty.']);
    expect(problem(form(['upload', one]))).toEqual([400, expect.stringMatching(/field "file"/)]);
    expect(problem(form(['file', 'just text']))).toEqual([400, expect.stringMatching(/file part/)]);
    expect(problem(form(['file', one]), 2)).toEqual([413, expect.stringMatching(/limit/)]);
    expect(problem(form(['file', one], ['text', 'x'.repeat(101)]))?.[0]).toBe(400);
    expect(problem(form(['file', one], ['text', 'a'], ['text', 'b']))).toEqual([
      400,
      expect.stringMatching(/"text" came more than once/),
    ]);
    expect(problem(form(['file', one], ['userId', 'bad id']))?.[1]).toMatch(/userId/);
    expect(problem(form(['file', one], ['clientId', '<script>']))?.[1]).toMatch(/clientId/);
  });
});

describe('uploadAttachment', () => {
  it('gives the bytes (a new array each time) while the message runs, nothing after release', async () => {
    const data = new Uint8Array([1, 2, 3]);
    const { attachment, release } = uploadAttachment({
      name: 'photo.jpg',
      mimeType: 'image/jpeg',
      size: 3,
      data: new Blob([data]),
    });
    expect(attachment).toMatchObject({ kind: 'photo', name: 'photo.jpg', size: 3 });
    const copy = await attachment.download!();
    expect(copy).toEqual(data);
    copy[0] = 9;
    expect(await attachment.download!()).toEqual(data);
    const aborted = new AbortController();
    aborted.abort();
    await expect(attachment.download!(aborted.signal)).rejects.toThrow();
    release();
    await expect(attachment.download!()).rejects.toThrow(/no longer holds "photo.jpg"/);
  });
});
