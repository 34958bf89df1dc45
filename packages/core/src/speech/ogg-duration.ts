/**
 * How long an Ogg Opus file plays, in seconds: the last page's granule position (48 kHz
 * samples) less the pre-skip of its `OpusHead`; undefined when it is not Ogg Opus.
 */
export function oggOpusDurationSeconds(data: Uint8Array): number | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let granule: bigint | undefined;
  let preSkip = 0;
  let first = true;
  for (let at = 0; at + 27 <= data.byteLength; ) {
    if (view.getUint32(at) !== 0x4f676753) return undefined; // "OggS"
    const segments = data[at + 26]!;
    const bodyStart = at + 27 + segments;
    let bodyLength = 0;
    for (let index = 0; index < segments; index++) bodyLength += data[at + 27 + index]!;
    if (first) {
      if (String.fromCharCode(...data.subarray(bodyStart, bodyStart + 8)) !== 'OpusHead')
        return undefined;
      preSkip = view.getUint16(bodyStart + 10, true);
      first = false;
    }
    const position = view.getBigUint64(at + 6, true);
    if (position !== 0xffffffffffffffffn) granule = position;
    at = bodyStart + bodyLength;
  }
  if (granule === undefined) return undefined;
  return Math.max(0, Number(granule) - preSkip) / 48_000;
}
