/** A body decoded to text, with the charset that was used and where it came from. */
export interface DecodedBody {
  text: string;
  /** The WHATWG encoding name used, such as `utf-8` or `windows-1251`. */
  charset: string;
  source: 'bom' | 'content-type' | 'meta' | 'xml' | 'default';
}

/** The charset a Content-Type header names (`text/html; charset=windows-1251`), if any. */
export function charsetFromContentType(contentType: string | null | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return (match?.[1] ?? match?.[2])?.trim().toLowerCase();
}

function charsetFromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/**
 * The charset an HTML document declares in its first 2048 bytes: `<meta charset="koi8-r">` or
 * `<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">`.
 */
export function charsetFromMeta(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(tag);
    if (direct) return direct[1]!.toLowerCase();
  }
  return undefined;
}

function charsetFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return /^<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1]?.toLowerCase();
}

function decoderFor(label: string | undefined): InstanceType<typeof TextDecoder> | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label);
  } catch {
    return undefined;
  }
}

/**
 * Decodes a response body. The charset comes from a byte-order mark first (it cannot lie),
 * then the Content-Type header, then (for HTML and XML) the document's own `<meta charset>`,
 * `http-equiv` or XML declaration, else UTF-8. Any label TextDecoder knows works:
 * `windows-1251`, `koi8-r`, `iso-8859-1`, `shift_jis`, ...; an unknown label is skipped.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null | undefined): DecodedBody {
  const candidates: Array<[DecodedBody['source'], string | undefined]> = [
    ['bom', charsetFromBom(bytes)],
    ['content-type', charsetFromContentType(contentType)],
  ];
  const type = (contentType ?? '').toLowerCase();
  if (!type || type.includes('html') || type.includes('xml')) {
    candidates.push(['meta', charsetFromMeta(bytes)], ['xml', charsetFromXmlDeclaration(bytes)]);
  }
  for (const [source, label] of candidates) {
    const decoder = decoderFor(label);
    // A meta tag claiming UTF-16 in an ASCII-compatible document is wrong by definition.
    if (!decoder || (source !== 'bom' && decoder.encoding.startsWith('utf-16'))) continue;
    return { text: decoder.decode(bytes), charset: decoder.encoding, source };
  }
  return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', source: 'default' };
}
