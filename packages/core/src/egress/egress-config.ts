import type { Problem } from '../errors/botwire-error';
import { parseCidr } from './ip-address';

/**
 * Where skills may send requests. Set as `egress` in botwire.config; every outbound request a
 * skill makes (fetch, browser, integrations) is checked against it.
 *
 * @example
 * egress: { allow: ['wiki.internal', '10.1.2.0/24'], deny: ['*.ads.example'], ports: [80, 443, 8080] }
 */
export interface EgressConfig {
  /**
   * Destinations that are reachable even though the default rules block them (private ranges,
   * loopback, ...), on any port: host names (exact, or `*.example.org` for its subdomains),
   * IP addresses, or CIDR blocks (`10.0.0.0/8`, `fd00::/8`).
   */
  allow?: string[];
  /** Destinations that are never reachable, in the same forms; deny wins over allow. */
  deny?: string[];
  /** Ports a destination may use unless it is on the allow list. Default `[80, 443]`. */
  ports?: number[];
  /** The largest response body read, in bytes. Default 10 MiB. */
  maxResponseBytes?: number;
  /** How long one request may take, redirects and body included, in ms. Default 30000. */
  timeoutMs?: number;
  /** How many redirects a request follows. Default 5. */
  maxRedirects?: number;
}

/** The values of {@link EgressConfig} fields that are left out. */
export const egressDefaults: Required<EgressConfig> = {
  allow: [],
  deny: [],
  ports: [80, 443],
  maxResponseBytes: 10 * 1024 * 1024,
  timeoutMs: 30_000,
  maxRedirects: 5,
};

const hostPattern =
  /^(\*\.)?([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/**
 * Why an allow or deny entry is not valid, or undefined when it is: a host name, `*.name`,
 * an IP address or a CIDR block.
 */
export function egressEntryProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'string' || entry.trim() === '')
    return 'an entry is a host name ("example.org", "*.example.org"), an IP address or a CIDR block ("10.0.0.0/8")';
  const text = entry.trim().toLowerCase().replace(/\.$/, '');
  if (parseCidr(text)) return undefined;
  if (text.includes('/') || text.includes(':'))
    return `"${entry}" is not a valid IP address or CIDR block (such as "10.0.0.0/8" or "fd00::/8")`;
  if (/^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+))*$/.test(text))
    return `"${entry}" looks like an IP address but is not written in full; write it as four numbers ("127.0.0.1")`;
  if (!hostPattern.test(text))
    return `"${entry}" is not a host name, an IP address or a CIDR block; "*." may only start a name ("*.example.org")`;
  return undefined;
}

/**
 * Every problem of an `egress` config value, each naming its field (`egress.allow[1]`).
 * An empty list means it is valid.
 */
export function validateEgressConfig(value: unknown, path = 'egress'): Problem[] {
  const problems: Problem[] = [];
  const problem = (where: string, message: string) =>
    problems.push({ path: where, code: 'BOTWIRE_CONFIG_FIELD_INVALID', message });
  if (value === undefined) return problems;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem(
      path,
      `${path} must be an object such as { allow: ["wiki.internal"], ports: [80, 443] }`,
    );
    return problems;
  }
  const config = value as Record<string, unknown>;
  for (const field of Object.keys(config)) {
    if (!(field in egressDefaults))
      problem(
        `${path}.${field}`,
        `unknown field "${field}"; egress has ${Object.keys(egressDefaults).join(', ')}`,
      );
  }
  for (const list of ['allow', 'deny'] as const) {
    const entries = config[list];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) {
      problem(
        `${path}.${list}`,
        `${path}.${list} must be a list such as ["10.0.0.0/8", "wiki.internal"]`,
      );
      continue;
    }
    entries.forEach((entry, index) => {
      const message = egressEntryProblem(entry);
      if (message) problem(`${path}.${list}[${index}]`, message);
    });
  }
  if (config.ports !== undefined) {
    if (!Array.isArray(config.ports) || config.ports.length === 0)
      problem(
        `${path}.ports`,
        `${path}.ports must be a non-empty list of port numbers such as [80, 443]`,
      );
    else
      config.ports.forEach((port, index) => {
        if (!(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536))
          problem(
            `${path}.ports[${index}]`,
            `a port is a whole number from 1 to 65535; got ${JSON.stringify(port)}`,
          );
      });
  }
  const positive = (field: 'maxResponseBytes' | 'timeoutMs', what: string) => {
    const number = config[field];
    if (number !== undefined && !(Number.isInteger(number) && (number as number) > 0))
      problem(
        `${path}.${field}`,
        `${path}.${field} must be a whole number of ${what}, more than 0`,
      );
  };
  positive('maxResponseBytes', 'bytes');
  positive('timeoutMs', 'milliseconds');
  const redirects = config.maxRedirects;
  if (redirects !== undefined && !(Number.isInteger(redirects) && (redirects as number) >= 0))
    problem(`${path}.maxRedirects`, `${path}.maxRedirects must be a whole number, 0 or more`);
  return problems;
}

const splitList = (text: string | undefined) =>
  (text ?? '')
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * The egress config of a bot: the config's `egress`, with the entries of the environment
 * variables `BOTWIRE_EGRESS_ALLOW` and `BOTWIRE_EGRESS_DENY` (comma- or space-separated)
 * added to its allow and deny lists.
 *
 * @example
 * // BOTWIRE_EGRESS_ALLOW=127.0.0.1,wiki.internal
 * const policy = new EgressPolicy(egressConfigFromEnv(config.egress, process.env));
 */
export function egressConfigFromEnv(
  config: EgressConfig = {},
  env: NodeJS.ProcessEnv = process.env,
): EgressConfig {
  const allow = splitList(env.BOTWIRE_EGRESS_ALLOW);
  const deny = splitList(env.BOTWIRE_EGRESS_DENY);
  return {
    ...config,
    ...(allow.length ? { allow: [...(config.allow ?? []), ...allow] } : {}),
    ...(deny.length ? { deny: [...(config.deny ?? []), ...deny] } : {}),
  };
}
