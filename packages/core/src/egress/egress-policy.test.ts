import { describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import { egressConfigFromEnv, validateEgressConfig } from './egress-config';
import { EgressPolicy, type EgressResolver, type ResolvedAddress } from './egress-policy';

/** A resolver that answers from a table and records every question; it never touches DNS. */
function fakeDns(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: EgressResolver = async (host) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return addresses.map(
      (address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }),
    );
  };
  return { asked, resolve };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}

describe('EgressPolicy.checkUrl with the default policy', () => {
  const policy = new EgressPolicy();

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'ipv4-mapped'],
    ['http://[::ffff:7f00:1]/', 'ipv4-mapped'],
    ['http://[::127.0.0.1]/', 'ipv4-compatible'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://10.0.0.1/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://100.64.0.1/', 'cgnat'],
    ['http://[fd00::1]/', 'unique-local'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'nat64'],
    ['http://[2002:7f00:1::1]/', '6to4'],
    ['http://[::ffff:0:127.0.0.1]/', 'ipv4-translated'],
    ['http://[::ffff:0:7f00:1]/', 'ipv4-translated'],
    ['http://[0:0:0:0:ffff:0:10.0.0.1]/', 'ipv4-translated'],
    ['http://[::ffff:0:8.8.8.8]/', 'reserved'],
    ['http://[::8.8.8.8]/', 'reserved'],
    ['http://[::1:0:0:1]/', 'reserved'],
    ['http://[64:ff9b::127.0.0.1]/', 'nat64'],
    ['http://[64:ff9b:1::a00:1]/', 'nat64'],
    ['http://[2002:a00:1::]/', '6to4'],
    ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', 'teredo'],
    ['http://localhost/', 'loopback'],
    ['http://localhost./', 'loopback'],
    ['http://LOCALHOST../', 'loopback'],
    ['http://app.localhost/', 'loopback'],
    ['file:///etc/passwd', 'scheme'],
    ['ftp://example.org/', 'scheme'],
    ['gopher://example.org:70/', 'scheme'],
    ['http://example.org:22/', 'port'],
    ['not a url', 'url'],
  ])('blocks %s (rule %s)', (url, rule) => {
    const decision = policy.checkUrl(url);
    expect(decision).toMatchObject({ allowed: false, rule });
    expect(decision.reason.length).toBeGreaterThan(10);
  });

  it.each([
    'http://example.org/',
    'https://example.org/page?q=1',
    'http://93.184.216.34/',
    'https://[2606:4700::1111]/',
    'http://[64:ff9b::8.8.8.8]/',
    'http://[2002:808:808::1]/',
    'http://example.org:80/',
  ])('lets %s through to the address check', (url) => {
    expect(policy.checkUrl(url).allowed).toBe(true);
  });

  it('accepts URL objects', () => {
    expect(policy.checkUrl(new URL('http://10.1.2.3/')).rule).toBe('private');
  });
});

describe('EgressPolicy.checkAddress', () => {
  const policy = new EgressPolicy();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['::ffff:10.0.0.1', 'ipv4-mapped'],
    ['64:ff9b::7f00:1', 'nat64'],
    ['2002:a00:1::', '6to4'],
    ['::ffff:0:a9fe:a9fe', 'ipv4-translated'],
    ['::a9fe:a9fe', 'ipv4-compatible'],
    ['::1:0:0:0', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'teredo'],
    ['not-an-ip', 'address'],
  ])('blocks a name resolving to %s (rule %s)', (address, rule) => {
    const decision = policy.checkAddress('rebind.example', address);
    expect(decision).toMatchObject({ allowed: false, rule });
  });

  it('names the host and the address in the reason', () => {
    expect(policy.checkAddress('meta.example', '169.254.169.254').reason).toBe(
      'meta.example resolves to 169.254.169.254, which is a link-local address (169.254.0.0/16)',
    );
  });

  it('allows public addresses', () => {
    expect(policy.checkAddress('example.org', '93.184.216.34')).toMatchObject({
      allowed: true,
      rule: 'public',
    });
  });
});

describe('allow and deny lists', () => {
  it('the allow list overrides the default block, for names, addresses and blocks', () => {
    const policy = new EgressPolicy({
      allow: ['wiki.internal', '127.0.0.1', '10.1.0.0/16', 'fd00::/8'],
    });
    expect(policy.checkUrl('http://127.0.0.1/').rule).toBe('allow-list');
    expect(policy.checkUrl('http://127.1/').rule).toBe('allow-list');
    expect(policy.checkUrl('http://[::ffff:127.0.0.1]/').rule).toBe('allow-list');
    expect(policy.checkUrl('http://127.0.0.2/').rule).toBe('loopback');
    expect(policy.checkUrl('http://[fd00::1]/').rule).toBe('allow-list');
    expect(policy.checkAddress('db.example', '10.1.200.3').rule).toBe('allow-list');
    expect(policy.checkAddress('db.example', '10.2.0.1').rule).toBe('private');
    expect(policy.checkAddress('wiki.internal', '192.168.0.10').rule).toBe('allow-list');
  });

  it('an allowed host may use any port; others only the listed ports', () => {
    const policy = new EgressPolicy({ allow: ['127.0.0.1'], ports: [443] });
    expect(policy.checkUrl('http://127.0.0.1:8080/').allowed).toBe(true);
    expect(policy.checkUrl('http://example.org/').rule).toBe('port');
    expect(policy.checkUrl('https://example.org/').allowed).toBe(true);
    expect(new EgressPolicy({ ports: [8080] }).checkUrl('http://example.org:8080/').allowed).toBe(
      true,
    );
  });

  it('deny wins over allow', () => {
    const policy = new EgressPolicy({
      allow: ['10.0.0.0/8', '*.example.org'],
      deny: ['10.0.0.5', 'ads.example.org', '93.184.216.0/24'],
    });
    expect(policy.checkUrl('http://10.0.0.6/').allowed).toBe(true);
    expect(policy.checkUrl('http://10.0.0.5/').rule).toBe('deny-list');
    expect(policy.checkUrl('http://ads.example.org/').rule).toBe('deny-list');
    expect(policy.checkUrl('http://www.example.org/').rule).toBe('allow-list');
    expect(policy.checkAddress('www.example.org', '93.184.216.34').rule).toBe('deny-list');
    expect(policy.checkUrl('http://[::ffff:10.0.0.5]/').rule).toBe('deny-list');
    expect(policy.checkUrl('http://[::ffff:0:10.0.0.5]/').rule).toBe('deny-list');
    expect(policy.checkUrl('http://[64:ff9b::10.0.0.5]/').rule).toBe('deny-list');
  });

  it('"*.name" matches subdomains only, names match exactly, trailing dots do not matter', () => {
    const policy = new EgressPolicy({ deny: ['*.example.org', 'exact.test.'] });
    expect(policy.checkUrl('http://a.b.example.org/').rule).toBe('deny-list');
    expect(policy.checkUrl('http://example.org/').allowed).toBe(true);
    expect(policy.checkUrl('http://notexample.org/').allowed).toBe(true);
    expect(policy.checkUrl('http://EXACT.test./').rule).toBe('deny-list');
    expect(policy.checkUrl('http://sub.exact.test/').allowed).toBe(true);
  });

  it('refuses invalid entries', () => {
    expect(() => new EgressPolicy({ allow: ['10.0.0.0/40'] })).toThrow(/egress.allow/);
    expect(() => new EgressPolicy({ deny: ['127.1'] })).toThrow(/four numbers/);
  });

  it('fills in the defaults', () => {
    expect(new EgressPolicy().config).toEqual({
      allow: [],
      deny: [],
      ports: [80, 443],
      maxResponseBytes: 10 * 1024 * 1024,
      timeoutMs: 30_000,
      maxRedirects: 5,
    });
  });
});

describe('resolveAndCheck', () => {
  it('checks every resolved address: one private answer blocks the host', async () => {
    const dns = fakeDns({ 'mixed.example': ['93.184.216.34', '10.0.0.1'] });
    const policy = new EgressPolicy({}, { resolve: dns.resolve });
    const error = await rejection(policy.resolveAndCheck('http://mixed.example/a'));
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(error.message).toContain('http://mixed.example/a');
    expect(error.message).toContain('rule "private"');
    expect(error.message).toContain('add it to egress.allow in botwire.config');
    expect(error.details).toMatchObject({ rule: 'private', address: '10.0.0.1' });
  });

  it('returns the first address of an allowed host', async () => {
    const dns = fakeDns({ 'public.example': ['93.184.216.34', '2606:2800::1'] });
    const policy = new EgressPolicy({}, { resolve: dns.resolve });
    expect(await policy.resolveAndCheck('https://public.example/')).toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    expect(dns.asked).toEqual(['public.example']);
  });

  it('does not resolve a URL that is blocked as written, nor an IP literal', async () => {
    const dns = fakeDns({});
    const policy = new EgressPolicy({}, { resolve: dns.resolve });
    for (const url of ['http://169.254.169.254/', 'http://localhost./', 'file:///etc/passwd']) {
      expect((await rejection(policy.resolveAndCheck(url))).code).toBe('BOTWIRE_EGRESS_BLOCKED');
    }
    expect(await policy.resolveAndCheck('http://93.184.216.34/')).toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    expect(dns.asked).toEqual([]);
  });

  it('allows a host on the allow list whatever it resolves to', async () => {
    const dns = fakeDns({ 'wiki.internal': ['10.9.8.7'] });
    const policy = new EgressPolicy({ allow: ['wiki.internal'] }, { resolve: dns.resolve });
    expect((await policy.resolveAndCheck('http://wiki.internal/')).address).toBe('10.9.8.7');
  });

  it('reports a name that does not resolve as BOTWIRE_EGRESS_FAILED', async () => {
    const policy = new EgressPolicy({}, { resolve: fakeDns({}).resolve });
    const error = await rejection(policy.resolveAndCheck('http://nowhere.example/'));
    expect(isBotwireError(error, 'BOTWIRE_EGRESS_FAILED')).toBe(true);
    expect(error.message).toContain('ENOTFOUND');
  });

  it('explains a deny-list and a port block differently', async () => {
    const policy = new EgressPolicy({ deny: ['bad.example'] });
    expect((await rejection(policy.resolveAndCheck('http://bad.example/'))).message).toContain(
      'remove it from there',
    );
    expect((await rejection(policy.resolveAndCheck('http://ok.example:8080/'))).message).toContain(
      'egress.ports',
    );
  });
});

describe('egress config', () => {
  it('reports every bad field', () => {
    const problems = validateEgressConfig({
      allow: ['ok.example', '10.0.0.0/99', 7],
      deny: 'x',
      ports: [80, 70000],
      timeoutMs: -1,
      maxRedirects: 1.5,
      maxResponseBytes: 0,
      alow: [],
    });
    expect(problems.map((problem) => problem.path).sort()).toEqual(
      [
        'egress.alow',
        'egress.allow[1]',
        'egress.allow[2]',
        'egress.deny',
        'egress.maxRedirects',
        'egress.maxResponseBytes',
        'egress.ports[1]',
        'egress.timeoutMs',
      ].sort(),
    );
    expect(validateEgressConfig({ allow: ['*.example.org', 'fd00::/8', '::1'] })).toEqual([]);
    expect(validateEgressConfig('yes')[0]?.path).toBe('egress');
  });

  it('adds BOTWIRE_EGRESS_ALLOW and BOTWIRE_EGRESS_DENY to the lists', () => {
    expect(
      egressConfigFromEnv(
        { allow: ['a.example'], ports: [80] },
        { BOTWIRE_EGRESS_ALLOW: '127.0.0.1, localhost', BOTWIRE_EGRESS_DENY: 'b.example' },
      ),
    ).toEqual({ allow: ['a.example', '127.0.0.1', 'localhost'], deny: ['b.example'], ports: [80] });
    expect(egressConfigFromEnv(undefined, {})).toEqual({});
  });
});
