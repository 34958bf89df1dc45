/** One file inside a ZIP archive, as its central directory lists it. */
export interface ZipEntry {
  name: string;
  /** The size once unpacked, in bytes, as the archive declares it. */
  size: number;
}

/**
 * The files a ZIP archive's central directory lists, read without unpacking anything;
 * undefined when the directory cannot be found or read (a damaged or truncated archive).
 * ZIP64 sizes are reported as `Infinity`.
 */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let offset = bytes.length - 22; offset >= lowest; offset--) {
    if (view.getUint32(offset, true) === 0x06054b50) {
      end = offset;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) return undefined;
    const size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (offset + 46 + nameLength > bytes.length) return undefined;
    entries.push({
      name: decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)),
      size: size === 0xffffffff ? Number.POSITIVE_INFINITY : size,
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
