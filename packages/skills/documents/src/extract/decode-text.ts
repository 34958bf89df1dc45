/** Windows-1251 bytes 0x80–0xBF; 0xC0–0xFF are А–я in order. 0x98 is unassigned. */
const cp1251High =
  'ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—\ufffd™љ›њќћџ\u00a0ЎўЈ¤Ґ¦§Ё©Є«¬\u00ad®Ї°±Ііґµ¶·ё№є»јЅѕї';

function decodeWindows1251(bytes: Uint8Array): string {
  try {
    return new TextDecoder('windows-1251').decode(bytes);
  } catch {
    // A Node built without full ICU knows no windows-1251: decode it by the table.
  }
  const parts: string[] = [];
  let out = '';
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    out +=
      byte < 0x80
        ? String.fromCharCode(byte)
        : byte < 0xc0
          ? cp1251High[byte - 0x80]!
          : String.fromCharCode(0x410 + byte - 0xc0);
    if (out.length >= 8192) {
      parts.push(out);
      out = '';
    }
  }
  parts.push(out);
  return parts.join('');
}

/**
 * True when the high bytes of a text that is not UTF-8 look like Russian in Windows-1251:
 * most of them are letters (А–я, Ё, ё) and there are hardly any control characters.
 */
function looksLikeWindows1251(bytes: Uint8Array): boolean {
  let high = 0;
  let letters = 0;
  let controls = 0;
  for (const byte of bytes) {
    if (byte >= 0x80) {
      high++;
      if (byte >= 0xc0 || byte === 0xa8 || byte === 0xb8) letters++;
      else if (byte === 0x98) controls++;
    } else if (isControl(byte)) controls++;
  }
  return high > 0 && letters / high >= 0.7 && controls <= bytes.length * 0.001;
}

/** C0 controls other than tab, line feed, vertical tab, form feed, carriage return and escape. */
function isControl(code: number): boolean {
  return (code < 0x20 && (code < 0x09 || code > 0x0d) && code !== 0x1b) || code === 0x7f;
}

function controlShare(text: string): number {
  let controls = 0;
  for (let index = 0; index < text.length; index++) {
    if (isControl(text.charCodeAt(index))) controls++;
  }
  return text.length ? controls / text.length : 0;
}

/** A decoded text and the encoding it was read in. */
export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251';
}

/**
 * Reads bytes as text: UTF-8 (a BOM is dropped), UTF-16 with a BOM, or Windows-1251 when the
 * bytes are not UTF-8 but look like Russian in it. Returns undefined for binary data: NUL
 * bytes, control characters, or invalid UTF-8 in more than a small share.
 */
export function decodeText(bytes: Uint8Array): DecodedText | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes.subarray(2), 'utf-16be');
  const body =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (body.includes(0)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    if (looksLikeWindows1251(body))
      return { text: decodeWindows1251(body), encoding: 'windows-1251' };
    text = new TextDecoder('utf-8').decode(body);
    let replaced = 0;
    for (const char of text) if (char === '\ufffd') replaced++;
    if (replaced > Math.max(2, text.length * 0.01)) return undefined;
  }
  return controlShare(text) > 0.01 ? undefined : { text, encoding: 'utf-8' };
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText | undefined {
  let data = bytes.subarray(0, bytes.length - (bytes.length % 2));
  if (encoding === 'utf-16be') {
    data = data.slice();
    for (let index = 0; index < data.length; index += 2) {
      const first = data[index]!;
      data[index] = data[index + 1]!;
      data[index + 1] = first;
    }
  }
  const text = new TextDecoder('utf-16le').decode(data);
  return text.includes('\0') || controlShare(text) > 0.01 ? undefined : { text, encoding };
}
