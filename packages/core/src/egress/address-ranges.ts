import { type Cidr, cidrContains, formatIp, type IpAddress, parseCidr } from './ip-address';

/** Why the default policy blocks an address: the rule's name and a phrase for people. */
export interface BlockedRange {
  rule: string;
  /** Such as `a loopback address (127.0.0.0/8)`. */
  description: string;
}

const range = (cidr: string, rule: string, what: string) => ({
  block: parseCidr(cidr) as Cidr,
  rule,
  description: `${what} (${cidr})`,
});

/** Address blocks that are never public destinations; the first match names the rule. */
const blockedRanges = [
  range('0.0.0.0/8', 'unspecified', 'an unspecified ("this network") address'),
  range('10.0.0.0/8', 'private', 'a private address'),
  range('100.64.0.0/10', 'cgnat', 'a carrier-grade NAT address'),
  range('127.0.0.0/8', 'loopback', 'a loopback address'),
  range('169.254.0.0/16', 'link-local', 'a link-local address'),
  range('172.16.0.0/12', 'private', 'a private address'),
  range('192.0.0.0/24', 'reserved', 'an IETF protocol address'),
  range('192.0.2.0/24', 'reserved', 'a documentation address'),
  range('192.168.0.0/16', 'private', 'a private address'),
  range('198.18.0.0/15', 'reserved', 'a benchmarking address'),
  range('198.51.100.0/24', 'reserved', 'a documentation address'),
  range('203.0.113.0/24', 'reserved', 'a documentation address'),
  range('224.0.0.0/4', 'multicast', 'a multicast address'),
  range('240.0.0.0/4', 'reserved', 'a reserved or broadcast address'),
  range('::/128', 'unspecified', 'the unspecified address'),
  range('::1/128', 'loopback', 'the loopback address'),
  range('64:ff9b:1::/48', 'nat64', 'a local-use NAT64 address'),
  range('100::/64', 'reserved', 'a discard-only address'),
  range('2001:db8::/32', 'reserved', 'a documentation address'),
  range('fc00::/7', 'unique-local', 'a unique-local address'),
  range('fe80::/10', 'link-local', 'a link-local address'),
  range('fec0::/10', 'private', 'a site-local address'),
  range('ff00::/8', 'multicast', 'a multicast address'),
  // Last, because the NAT64 prefixes lie inside it: the rest (IPv4-compatible and
  // IPv4-translated forms among it) is reserved and not routable.
  range('::/8', 'reserved', 'a reserved IPv6 address'),
];

/** An IPv6 form that carries an IPv4 address in some of its bits. */
interface Embedding {
  block: Cidr;
  rule: string;
  what: string;
  extract: (bytes: Uint8Array) => Uint8Array;
  /**
   * Whether such an address reaches its IPv4 address on the Internet when that address is
   * public; the others are blocked whatever they carry (by their own range).
   */
  routable: boolean;
}

const lastFourBytes = (bytes: Uint8Array) => bytes.slice(12, 16);

/**
 * IPv6 forms that carry an IPv4 address; the IPv4 address inside is judged by the IPv4 rules.
 * Every spelling (hex groups, a dotted tail, compressed or not) parses to the same bytes.
 */
const embeddings: Embedding[] = [
  {
    block: parseCidr('::ffff:0:0/96') as Cidr,
    rule: 'ipv4-mapped',
    what: 'an IPv4-mapped IPv6 form',
    extract: lastFourBytes,
    routable: true,
  },
  {
    // RFC 2765 (SIIT): `::ffff:0:a.b.c.d`.
    block: parseCidr('::ffff:0:0:0/96') as Cidr,
    rule: 'ipv4-translated',
    what: 'an IPv4-translated (SIIT) IPv6 form',
    extract: lastFourBytes,
    routable: false,
  },
  {
    // Deprecated by RFC 4291: `::a.b.c.d`.
    block: parseCidr('::/96') as Cidr,
    rule: 'ipv4-compatible',
    what: 'an IPv4-compatible IPv6 form',
    extract: lastFourBytes,
    routable: false,
  },
  {
    block: parseCidr('64:ff9b::/96') as Cidr,
    rule: 'nat64',
    what: 'a NAT64 form',
    extract: lastFourBytes,
    routable: true,
  },
  {
    // RFC 8215 local-use prefix, read in its /96 layout; the whole /48 is blocked anyway.
    block: parseCidr('64:ff9b:1::/48') as Cidr,
    rule: 'nat64',
    what: 'a local-use NAT64 form',
    extract: lastFourBytes,
    routable: false,
  },
  {
    block: parseCidr('2002::/16') as Cidr,
    rule: '6to4',
    what: 'a 6to4 form',
    extract: (bytes) => bytes.slice(2, 6),
    routable: true,
  },
  {
    // Teredo keeps the client's IPv4 address inverted in the last four bytes.
    block: parseCidr('2001::/32') as Cidr,
    rule: 'teredo',
    what: 'a Teredo form',
    extract: (bytes) => bytes.slice(12, 16).map((byte) => byte ^ 0xff),
    routable: true,
  },
];

/** The IPv4 address inside an IPv6 form, with the form's rule and name. */
export interface EmbeddedIpv4 {
  address: IpAddress;
  rule: string;
  what: string;
  /** Whether the IPv6 form reaches a public IPv4 address it carries (see {@link blockedRange}). */
  routable: boolean;
}

/**
 * The IPv4 address an IPv6 address carries (IPv4-mapped, IPv4-translated, IPv4-compatible,
 * NAT64, 6to4, Teredo), with the name of the form; undefined for other addresses.
 */
export function embeddedIpv4(address: IpAddress): EmbeddedIpv4 | undefined {
  if (address.family !== 6) return undefined;
  for (const embedding of embeddings) {
    if (!cidrContains(embedding.block, address)) continue;
    // `::` and `::1` are in ::/96 but are not IPv4-compatible forms.
    if (embedding.rule === 'ipv4-compatible' && address.bytes.slice(0, 15).every((b) => b === 0))
      continue;
    return {
      address: { family: 4, bytes: embedding.extract(address.bytes) },
      rule: embedding.rule,
      what: embedding.what,
      routable: embedding.routable,
    };
  }
  return undefined;
}

/**
 * The range of the default block list an address falls in, or undefined for an ordinary
 * public address. An IPv6 form that carries a blocked IPv4 address is named after its form
 * (`ipv4-mapped`, `ipv4-translated`, `nat64`, `6to4`, ...), with the IPv4 range in the
 * description; a form that is not routable (`::/8`, local-use NAT64) stays blocked by its own
 * range even when the IPv4 address it carries is public.
 */
export function blockedRange(address: IpAddress): BlockedRange | undefined {
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const inner = blockedRange(embedded.address);
    if (inner)
      return {
        rule: embedded.rule,
        description: `${embedded.what} of ${formatIp(embedded.address)}, ${inner.description}`,
      };
    if (embedded.routable) return undefined;
  }
  for (const entry of blockedRanges) {
    if (cidrContains(entry.block, address))
      return { rule: entry.rule, description: entry.description };
  }
  return undefined;
}
