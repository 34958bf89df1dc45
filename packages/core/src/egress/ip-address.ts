/** An IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order. */
export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

/** A block of addresses: `10.0.0.0/8`, `fd00::/8`. */
export interface Cidr extends IpAddress {
  prefix: number;
}

function parseIpv4Part(part: string): number | undefined {
  if (part === '') return undefined;
  let radix = 10;
  let digits = part;
  if (/^0x/i.test(part)) {
    radix = 16;
    digits = part.slice(2);
    if (digits === '') return 0;
  } else if (part.length > 1 && part.startsWith('0')) {
    radix = 8;
    digits = part.slice(1);
  }
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const value = Number.parseInt(digits, radix);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Parses an IPv4 address in every form `inet_aton` and URL parsers accept: `127.0.0.1`,
 * `127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`. Undefined when it is not one.
 */
export function parseIpv4(text: string): IpAddress | undefined {
  const parts = text.endsWith('.') ? text.slice(0, -1).split('.') : text.split('.');
  if (parts.length === 0 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = parseIpv4Part(part);
    if (value === undefined) return undefined;
    numbers.push(value);
  }
  const last = numbers.pop()!;
  if (numbers.some((value) => value > 255)) return undefined;
  if (last >= 256 ** (4 - numbers.length)) return undefined;
  let value = last;
  numbers.forEach((part, index) => {
    value += part * 256 ** (3 - index);
  });
  const bytes = new Uint8Array(4);
  for (let index = 3; index >= 0; index--) {
    bytes[index] = value % 256;
    value = Math.floor(value / 256);
  }
  return { family: 4, bytes };
}

/** Parses an IPv6 address (`::1`, `fd00::1`, `::ffff:127.0.0.1`, with or without `[ ]` and a zone). */
export function parseIpv6(text: string): IpAddress | undefined {
  let value = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = value.indexOf('%');
  if (zone !== -1) value = value.slice(0, zone);
  if (!value.includes(':') || !/^[0-9a-f:.]+$/i.test(value)) return undefined;
  const groups: number[] = [];
  const halves = value.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const result: number[] = [];
    const pieces = half.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (piece.includes('.')) {
        if (index !== pieces.length - 1 || !/^\d+\.\d+\.\d+\.\d+$/.test(piece)) return undefined;
        const octets = piece.split('.').map(Number);
        if (octets.some((octet) => octet > 255)) return undefined;
        result.push(octets[0]! * 256 + octets[1]!, octets[2]! * 256 + octets[3]!);
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(piece)) return undefined;
        result.push(Number.parseInt(piece, 16));
      }
    }
    return result;
  };
  const head = parseHalf(halves[0]!);
  const tail = halves.length === 2 ? parseHalf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    groups.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    if (head.length !== 8) return undefined;
    groups.push(...head);
  }
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return { family: 6, bytes };
}

/** Parses an IP address of either family, in any form {@link parseIpv4} or {@link parseIpv6} accepts. */
export function parseIp(text: string): IpAddress | undefined {
  return parseIpv6(text) ?? parseIpv4(text);
}

/** The canonical text of an address: `127.0.0.1`, `::ffff:7f00:1`, `fd00::1`. */
export function formatIp(address: IpAddress): string {
  if (address.family === 4) return [...address.bytes].join('.');
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2)
    groups.push(address.bytes[index]! * 256 + address.bytes[index + 1]!);
  // The longest run of zero groups (at least two) becomes `::`.
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; ) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength && end - start >= 2) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

/**
 * Parses a CIDR block (`10.0.0.0/8`, `fd00::/8`) or a single address (a /32 or /128).
 * Undefined when the text is neither.
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  // CIDRs use plain dotted IPv4; `10/8` would be too easy to misread.
  const address =
    parseIpv6(addressText) ??
    (/^\d+\.\d+\.\d+\.\d+$/.test(addressText) ? parseIpv4(addressText) : undefined);
  if (!address) return undefined;
  const bits = address.family === 4 ? 32 : 128;
  if (prefixText === undefined) return { ...address, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  return { ...address, prefix };
}

/** True when `address` lies in `block` (same family, same leading `prefix` bits). */
export function cidrContains(block: Cidr, address: IpAddress): boolean {
  if (block.family !== address.family) return false;
  const full = Math.floor(block.prefix / 8);
  for (let index = 0; index < full; index++)
    if (block.bytes[index] !== address.bytes[index]) return false;
  const rest = block.prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (block.bytes[full]! & mask) === (address.bytes[full]! & mask);
}
