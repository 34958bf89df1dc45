/**
 * How long a PCM WAV file plays, in seconds, from its `fmt ` and `data` chunks; undefined when
 * it is not one. A `data` size of 0 or 0xFFFFFFFF (a stream whose length was unknown) is read as
 * "the rest of the file".
 */
export function wavDurationSeconds(wav: Uint8Array): number | undefined {
  if (wav.byteLength < 44) return undefined;
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const ascii = (at: number) => String.fromCharCode(...wav.subarray(at, at + 4));
  if (ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE') return undefined;
  let byteRate: number | undefined;
  for (let at = 12; at + 8 <= wav.byteLength; ) {
    const id = ascii(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 16 <= wav.byteLength) byteRate = view.getUint32(at + 16, true);
    if (id === 'data') {
      if (!byteRate) return undefined;
      const available = wav.byteLength - (at + 8);
      const bytes = size === 0 || size === 0xffffffff || size > available ? available : size;
      return bytes / byteRate;
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}
