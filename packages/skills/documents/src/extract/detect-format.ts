import type { DocumentFormat } from './extracted-document';
import { type ZipEntry, zipEntries } from './zip-entries';

/** What the bytes of a file are, judged by their content alone. */
export type SniffedFormat =
  | { kind: 'pdf' }
  /** A ZIP with `word/document.xml`; entries are undefined when its directory is unreadable. */
  | { kind: 'docx'; entries: ZipEntry[] | undefined }
  /** A known format that is not a document we read, e.g. `a PNG image`. */
  | { kind: 'other'; label: string; binary: boolean; encrypted?: boolean }
  /** No known signature: perhaps text. */
  | { kind: 'unknown' };

function startsWith(bytes: Uint8Array, signature: ReadonlyArray<number> | string, at = 0): boolean {
  const expected =
    typeof signature === 'string' ? Array.from(signature, (char) => char.charCodeAt(0)) : signature;
  if (bytes.length < at + expected.length) return false;
  return expected.every((byte, index) => bytes[at + index] === byte);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

interface Signature {
  label: string;
  binary?: false;
  test: (bytes: Uint8Array) => boolean;
}

const signatures: Signature[] = [
  {
    label: 'a PNG image',
    test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  { label: 'a JPEG image', test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { label: 'a GIF image', test: (b) => startsWith(b, 'GIF87a') || startsWith(b, 'GIF89a') },
  { label: 'a WebP image', test: (b) => startsWith(b, 'RIFF') && startsWith(b, 'WEBP', 8) },
  {
    label: 'a TIFF image',
    test: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]),
  },
  {
    label: 'a BMP image',
    test: (b) =>
      startsWith(b, 'BM') && b.length > 26 && b[6] === 0 && b[7] === 0 && b[8] === 0 && b[9] === 0,
  },
  {
    label: 'a HEIC or AVIF image',
    test: (b) =>
      startsWith(b, 'ftyp', 4) && /^(heic|heix|hevc|mif1|msf1|avif)$/.test(latin1(b, 8, 12)),
  },
  { label: 'a video or audio file', test: (b) => startsWith(b, 'ftyp', 4) },
  { label: 'a DjVu document', test: (b) => startsWith(b, 'AT&TFORM') },
  {
    label: 'an old Microsoft Office file (.doc, .xls or .ppt)',
    test: (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  },
  { label: 'an RTF document', binary: false, test: (b) => startsWith(b, '{\\rtf') },
  { label: 'a PostScript file', binary: false, test: (b) => startsWith(b, '%!PS') },
  { label: 'a program (ELF)', test: (b) => startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) },
  { label: 'a Windows program', test: (b) => startsWith(b, 'MZ') && b.subarray(0, 64).includes(0) },
  { label: 'a gzip archive', test: (b) => startsWith(b, [0x1f, 0x8b]) },
  { label: 'a 7-Zip archive', test: (b) => startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
  { label: 'a RAR archive', test: (b) => startsWith(b, 'Rar!\x1a\x07') },
  { label: 'a bzip2 archive', test: (b) => startsWith(b, 'BZh') && startsWith(b, '1AY&SY', 4) },
  { label: 'an xz archive', test: (b) => startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) },
  { label: 'an SQLite database', test: (b) => startsWith(b, 'SQLite format 3\0') },
  { label: 'an MP3 audio file', test: (b) => startsWith(b, 'ID3') && (b[3] ?? 9) < 5 },
  { label: 'an Ogg audio file', test: (b) => startsWith(b, 'OggS') },
  { label: 'a FLAC audio file', test: (b) => startsWith(b, 'fLaC') },
  { label: 'a WebAssembly module', test: (b) => startsWith(b, [0x00, 0x61, 0x73, 0x6d]) },
];

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

function sniffZip(bytes: Uint8Array): SniffedFormat {
  const entries = zipEntries(bytes);
  const buffer = asBuffer(bytes);
  const has = (name: string) =>
    entries ? entries.some((entry) => entry.name === name) : buffer.includes(name);
  const under = (folder: string) =>
    entries ? entries.some((entry) => entry.name.startsWith(folder)) : buffer.includes(folder);
  if (has('word/document.xml')) return { kind: 'docx', entries };
  const head = buffer.subarray(0, 200).toString('latin1');
  const label = under('xl/')
    ? 'an Excel workbook (.xlsx)'
    : under('ppt/')
      ? 'a PowerPoint presentation (.pptx)'
      : head.includes('application/vnd.oasis.opendocument.text')
        ? 'an OpenDocument text (.odt)'
        : head.includes('application/vnd.oasis.opendocument')
          ? 'an OpenDocument file'
          : head.includes('application/epub+zip')
            ? 'an EPUB book'
            : 'a ZIP archive';
  return { kind: 'other', label, binary: true };
}

/**
 * Names what the bytes are by their content: `%PDF-` at the start (or anywhere in the first
 * kilobyte, as readers allow, unless the name says text), a ZIP holding `word/document.xml`,
 * or one of the known signatures of images, archives, programs and formats we do not read.
 */
export function sniffFormat(bytes: Uint8Array, claimed?: DocumentFormat): SniffedFormat {
  const textual = claimed === 'text' || claimed === 'markdown' || claimed === 'html';
  if (
    startsWith(bytes, '%PDF-') ||
    (!textual && asBuffer(bytes.subarray(0, 1024)).includes('%PDF-'))
  ) {
    return { kind: 'pdf' };
  }
  if (startsWith(bytes, 'PK\x03\x04') || startsWith(bytes, 'PK\x05\x06')) return sniffZip(bytes);
  const found = signatures.find((signature) => signature.test(bytes));
  if (!found) return { kind: 'unknown' };
  if (found.label.startsWith('an old Microsoft Office')) {
    // A password-protected .docx/.xlsx is an OLE container with an EncryptedPackage stream.
    const encrypted = asBuffer(bytes).includes(Buffer.from('EncryptedPackage', 'utf16le'));
    if (encrypted)
      return { kind: 'other', label: 'a password-protected Office file', binary: true, encrypted };
  }
  return { kind: 'other', label: found.label, binary: found.binary ?? true };
}

const byExtension: Record<string, DocumentFormat> = {
  pdf: 'pdf',
  docx: 'docx',
  docm: 'docx',
  txt: 'text',
  text: 'text',
  log: 'text',
  csv: 'text',
  tsv: 'text',
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  mkd: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
};

const byMimeType: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/plain': 'text',
  'text/csv': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
};

/** The file's extension in lower case (`txt`), or undefined. */
export function extensionOf(name: string): string | undefined {
  const found = /\.([A-Za-z0-9]{1,10})$/.exec(name.trim());
  return found ? found[1]!.toLowerCase() : undefined;
}

/** The format the file's name (first) or MIME type claims, when it is one we read. */
export function claimedFormat(file: {
  name: string;
  mimeType?: string;
}): DocumentFormat | undefined {
  const extension = extensionOf(file.name);
  if (extension && byExtension[extension]) return byExtension[extension];
  const mime = file.mimeType?.split(';')[0]?.trim().toLowerCase();
  return mime ? byMimeType[mime] : undefined;
}
