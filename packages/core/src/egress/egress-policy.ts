import { lookup } from 'node:dns/promises';
import type { buildConnector } from 'undici';
import { BotwireError } from '../errors/botwire-error';
import { blockedRange, embeddedIpv4 } from './address-ranges';
import { type EgressConfig, egressDefaults, egressEntryProblem } from './egress-config';
import {
  type Cidr,
  cidrContains,
  formatIp,
  type IpAddress,
  parseCidr,
  parseIp,
} from './ip-address';

/** The policy's verdict on one destination, with the rule that decided it. */
export interface EgressDecision {
  allowed: boolean;
  /**
   * The deciding rule: `scheme`, `url`, `port`, `deny-list`, `allow-list`, `loopback`,
   * `private`, `link-local`, `cgnat`, `unique-local`, `multicast`, `unspecified`, `reserved`,
   * `ipv4-mapped`, `ipv4-translated`, `ipv4-compatible`, `nat64`, `6to4`, `teredo`, `address`,
   * or `public`.
   */
  rule: string;
  /** Why, for people: `169.254.169.254 is a link-local address (169.254.0.0/16)`. */
  reason: string;
}

/** One resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to its addresses (every one of them is checked). */
export type EgressResolver = (host: string) => Promise<ResolvedAddress[]>;

/** Opens the socket to an address the policy has already checked (undici's connector shape). */
export type EgressConnector = buildConnector.connector;

/** Options for {@link EgressPolicy}: replaceable DNS and sockets, for tests. */
export interface EgressPolicyOptions {
  /** Resolves host names; default: the system resolver (`dns.lookup`, every address). */
  resolve?: EgressResolver;
  /**
   * Opens sockets; it is only ever called with an address the policy allowed. Default:
   * undici's own connector. Tests pass one that records attempts and refuses.
   */
  connect?: EgressConnector;
}

interface EntryList {
  names: string[];
  suffixes: string[];
  blocks: Cidr[];
}

const systemResolve: EgressResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

/** A host as the policy compares it: lower case, no brackets, no trailing dot. */
export function normalizeHost(host: string): string {
  let value = host.trim().toLowerCase();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  while (value.endsWith('.')) value = value.slice(0, -1);
  return value;
}

function parseEntries(entries: readonly string[], field: string): EntryList {
  const list: EntryList = { names: [], suffixes: [], blocks: [] };
  for (const entry of entries) {
    const problem = egressEntryProblem(entry);
    if (problem) {
      throw new BotwireError('BOTWIRE_CONFIG_INVALID', {
        message: `egress.${field} has an invalid entry: ${problem}.`,
      });
    }
    const text = normalizeHost(entry);
    const block = parseCidr(text);
    if (block) list.blocks.push(block);
    else if (text.startsWith('*.')) list.suffixes.push(text.slice(1));
    else list.names.push(text);
  }
  return list;
}

function matchesName(list: EntryList, host: string): boolean {
  return list.names.includes(host) || list.suffixes.some((suffix) => host.endsWith(suffix));
}

function matchesAddress(list: EntryList, address: IpAddress): boolean {
  const inner = embeddedIpv4(address)?.address;
  return list.blocks.some(
    (block) => cidrContains(block, address) || (inner ? cidrContains(block, inner) : false),
  );
}

const blocked = (rule: string, reason: string): EgressDecision => ({
  allowed: false,
  rule,
  reason,
});

/**
 * Decides where skills may send requests. By default only http and https on ports 80 and 443
 * reach public addresses: loopback, private, link-local, CGNAT, unique-local, multicast,
 * unspecified and reserved addresses are blocked, and so are their IPv4-mapped,
 * IPv4-translated, IPv4-compatible, NAT64, 6to4 and Teredo forms. The allow list opens destinations; the deny
 * list closes them and wins over the allow list. Requests go through {@link egressFetch}, which
 * checks the URL, every address the host resolves to at connect time, and every redirect.
 *
 * @example
 * const policy = new EgressPolicy({ allow: ['wiki.internal'] });
 * policy.checkUrl('http://169.254.169.254/').rule; // 'link-local'
 */
export class EgressPolicy {
  /** The config with every default filled in. */
  readonly config: Required<EgressConfig>;
  private readonly allow: EntryList;
  private readonly deny: EntryList;
  private readonly resolver: EgressResolver;
  /** The options the policy was made with (the connector {@link egressFetch} uses). */
  readonly options: EgressPolicyOptions;

  /** Throws BOTWIRE_CONFIG_INVALID when an allow or deny entry is not valid. */
  constructor(config: EgressConfig = {}, options: EgressPolicyOptions = {}) {
    this.config = {
      allow: [...(config.allow ?? egressDefaults.allow)],
      deny: [...(config.deny ?? egressDefaults.deny)],
      ports: [...(config.ports ?? egressDefaults.ports)],
      maxResponseBytes: config.maxResponseBytes ?? egressDefaults.maxResponseBytes,
      timeoutMs: config.timeoutMs ?? egressDefaults.timeoutMs,
      maxRedirects: config.maxRedirects ?? egressDefaults.maxRedirects,
    };
    this.allow = parseEntries(this.config.allow, 'allow');
    this.deny = parseEntries(this.config.deny, 'deny');
    this.resolver = options.resolve ?? systemResolve;
    this.options = options;
  }

  /**
   * Checks a URL before anything is resolved: its scheme, the host against the lists, its port,
   * and a host that is an IP address in any form (`127.1`, `2130706433`, `0x7f000001`,
   * `[::ffff:127.0.0.1]`) or `localhost` (with or without a trailing dot). A host name that
   * passes still has its resolved addresses checked by {@link checkAddress}.
   */
  checkUrl(url: string | URL): EgressDecision {
    let parsed: URL;
    try {
      parsed = typeof url === 'string' ? new URL(url) : url;
    } catch {
      return blocked('url', `"${String(url)}" is not a valid absolute URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return blocked(
        'scheme',
        `the scheme "${parsed.protocol}" is not allowed; only http and https are`,
      );
    const host = normalizeHost(parsed.hostname);
    if (!host) return blocked('url', `"${parsed.href}" has no host`);
    const literal = parseIp(host);
    if (matchesName(this.deny, host) || (literal && matchesAddress(this.deny, literal)))
      return blocked('deny-list', `${host} is on the deny list (egress.deny)`);
    if (matchesName(this.allow, host) || (literal && matchesAddress(this.allow, literal)))
      return {
        allowed: true,
        rule: 'allow-list',
        reason: `${host} is on the allow list (egress.allow)`,
      };
    if (host === 'localhost' || host.endsWith('.localhost'))
      return blocked('loopback', `${host} is a loopback name`);
    if (literal) {
      const decision = this.judgeAddress(literal, formatIp(literal));
      if (!decision.allowed) return decision;
    }
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    if (!this.config.ports.includes(port))
      return blocked(
        'port',
        `port ${port} is not one of the allowed ports (${this.config.ports.join(', ')})`,
      );
    if (literal) return this.judgeAddress(literal, formatIp(literal));
    return {
      allowed: true,
      rule: 'public',
      reason: `${host} is a public host name (its addresses are checked when it is resolved)`,
    };
  }

  /**
   * Checks an address a host resolved to, just before connecting: the lists (by the host's
   * name and by the address) and the default blocked ranges.
   */
  checkAddress(host: string, address: string): EgressDecision {
    const ip = parseIp(normalizeHost(address));
    const name = normalizeHost(host);
    if (!ip) return blocked('address', `"${address}" is not an IP address`);
    const text = formatIp(ip);
    const subject = name && name !== text ? `${name} resolves to ${text}, which` : text;
    if (matchesName(this.deny, name) || matchesAddress(this.deny, ip))
      return blocked('deny-list', `${subject} is on the deny list (egress.deny)`);
    if (matchesName(this.allow, name) || matchesAddress(this.allow, ip))
      return {
        allowed: true,
        rule: 'allow-list',
        reason: `${subject} is on the allow list (egress.allow)`,
      };
    return this.judgeAddress(ip, subject);
  }

  /**
   * Resolves a host and checks every address it has (one bad address blocks the host, so a
   * round-robin record cannot smuggle a private address in). Throws BOTWIRE_EGRESS_BLOCKED,
   * or BOTWIRE_EGRESS_FAILED when the name does not resolve.
   */
  async resolveHost(host: string, url?: string): Promise<ResolvedAddress[]> {
    const name = normalizeHost(host);
    const literal = parseIp(name);
    const target = url ?? name;
    let addresses: ResolvedAddress[];
    if (literal) addresses = [{ address: formatIp(literal), family: literal.family }];
    else {
      try {
        addresses = await this.resolver(name);
      } catch (error) {
        throw new BotwireError('BOTWIRE_EGRESS_FAILED', {
          message: `Could not resolve ${name} (for ${target}): ${error instanceof Error ? error.message : String(error)}`,
          details: { url: target, host: name },
          cause: error,
        });
      }
      if (addresses.length === 0) {
        throw new BotwireError('BOTWIRE_EGRESS_FAILED', {
          message: `${name} (for ${target}) has no addresses.`,
          details: { url: target, host: name },
        });
      }
    }
    for (const entry of addresses) {
      const decision = this.checkAddress(name, entry.address);
      if (!decision.allowed) throw egressBlockedError(target, decision, name, entry.address);
    }
    return addresses;
  }

  /**
   * Checks a URL, resolves its host and checks every address; returns the first address.
   * Throws BOTWIRE_EGRESS_BLOCKED naming the URL, the rule and how to allow it.
   */
  async resolveAndCheck(url: string | URL): Promise<ResolvedAddress> {
    const decision = this.checkUrl(url);
    const href = typeof url === 'string' ? url : url.href;
    if (!decision.allowed) throw egressBlockedError(href, decision, hostOf(href));
    const addresses = await this.resolveHost(new URL(href).hostname, href);
    return addresses[0]!;
  }

  /** Throws BOTWIRE_EGRESS_BLOCKED when the URL itself is blocked (no DNS involved). */
  assertUrl(url: string | URL): void {
    const decision = this.checkUrl(url);
    if (!decision.allowed) throw egressBlockedError(String(url), decision, hostOf(String(url)));
  }

  private judgeAddress(ip: IpAddress, subject: string): EgressDecision {
    const range = blockedRange(ip);
    if (range) return blocked(range.rule, `${subject} is ${range.description}`);
    return { allowed: true, rule: 'public', reason: `${subject} is a public address` };
  }
}

function hostOf(url: string): string | undefined {
  try {
    return normalizeHost(new URL(url).hostname) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The error of a blocked request: names the URL, the rule, and what to change in the config.
 * Its details carry `{ url, rule, reason, host?, address? }`.
 */
export function egressBlockedError(
  url: string,
  decision: EgressDecision,
  host?: string,
  address?: string,
): BotwireError {
  let fix: string;
  if (decision.rule === 'scheme' || decision.rule === 'url' || decision.rule === 'address')
    fix = 'Only http and https URLs with a host can be fetched.';
  else if (decision.rule === 'deny-list')
    fix = 'It is on egress.deny in botwire.config; remove it from there to allow it.';
  else if (decision.rule === 'port')
    fix = `To allow it, add the port to egress.ports in botwire.config, or add ${host ? `"${host}"` : 'the host'} to egress.allow.`;
  else
    fix = `If it is meant to be reachable, add it to egress.allow in botwire.config (egress: { allow: [${JSON.stringify(host ?? address ?? url)}] }) or set BOTWIRE_EGRESS_ALLOW=${host ?? address ?? url}.`;
  return new BotwireError('BOTWIRE_EGRESS_BLOCKED', {
    message: `Blocked by the egress policy: ${url}: ${decision.reason} (rule "${decision.rule}"). ${fix}`,
    details: {
      url,
      rule: decision.rule,
      reason: decision.reason,
      ...(host ? { host } : {}),
      ...(address ? { address } : {}),
    },
  });
}
