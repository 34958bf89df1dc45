import { EgressPolicy, type SkillRegistry } from '@botwire/core';
import { blockedByDefault, closeEgressDispatcher } from '@botwire/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  loadWebSearch,
  recordingConnector,
  recordingResolver,
  rejection,
} from './testing/load-web-search';
import { startWebPeer, type WebPeer } from './testing/web-peer';
import type { WebFetchOutput } from './web-fetch';

let peer: WebPeer;
let registry: SkillRegistry;
const policies: EgressPolicy[] = [];

beforeAll(async () => {
  peer = await startWebPeer();
  registry = await loadWebSearch();
});

afterEach(async () => {
  peer.requests.length = 0;
  await Promise.all(policies.splice(0).map((policy) => closeEgressDispatcher(policy)));
});

afterAll(() => peer.close());

/**
 * A policy whose DNS is a table and whose sockets are recorded: only the peer's own loopback
 * address is ever really connected to; every other attempt is recorded and refused, so a bug
 * cannot turn a test into traffic to a private address.
 */
function policyFor(config: ConstructorParameters<typeof EgressPolicy>[0] = {}) {
  const dns = recordingResolver({
    'public.example': ['127.0.0.1'],
    localhost: ['127.0.0.1'],
    'metadata.example': ['169.254.169.254'],
    'intranet.example': ['10.0.0.1'],
    'ula.example': ['fd00::1'],
  });
  const sockets = recordingConnector(true);
  const policy = new EgressPolicy(config, { resolve: dns.resolve, connect: sockets.connect });
  policies.push(policy);
  return { policy, dns, sockets };
}

const fetchWith = (egress: EgressPolicy, url: string) =>
  registry.callTool('web_fetch', { url }, { egress }) as Promise<WebFetchOutput>;

const acceptanceList: Array<readonly [string, string]> = [
  ...blockedByDefault,
  ['http://metadata.example/latest/meta-data/', 'link-local'],
  ['http://intranet.example/', 'private'],
  ['http://ula.example/', 'unique-local'],
];

describe('web_fetch under the default egress policy', () => {
  it.each(acceptanceList)('refuses %s (rule %s) without opening a socket', async (url, rule) => {
    const { policy, sockets } = policyFor();
    const error = await rejection(fetchWith(policy, url));
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(error.message).toContain('Blocked by the egress policy');
    expect(error.message).toContain(`rule "${rule}"`);
    if (rule !== 'scheme') expect(error.message).toContain('egress.allow in botwire.config');
    expect(sockets.attempts).toEqual([]);
  });

  it('refuses a public-looking URL that redirects to loopback, before requesting it', async () => {
    // public.example is allowed by name (it resolves to the peer); its redirect target is not.
    const { policy } = policyFor({ allow: ['public.example'] });
    const error = await rejection(
      fetchWith(policy, `http://public.example:${peer.port}/to-loopback`),
    );
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(error.message).toContain(`http://127.0.0.1:${peer.port}/secret`);
    expect(error.message).toContain('rule "loopback"');
    expect(peer.requests).toEqual(['/to-loopback']);
  });

  it('never requests what a page embeds (image, script, frame on loopback)', async () => {
    const { policy, sockets } = policyFor({ allow: ['public.example'] });
    const result = await fetchWith(
      policy,
      `http://public.example:${peer.port}/with-loopback-resources`,
    );
    expect(result.data.text).toContain('point at loopback');
    expect(peer.requests).toEqual(['/with-loopback-resources']);
    expect(new Set(sockets.attempts)).toEqual(new Set(['127.0.0.1']));
  });
});

describe('web_fetch once the host is on the allow list', () => {
  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/secret`],
    ['127.0.0.1', (port: number) => `http://127.1:${port}/secret`],
    ['127.0.0.1', (port: number) => `http://2130706433:${port}/secret`],
    ['127.0.0.1', (port: number) => `http://0x7f000001:${port}/secret`],
    ['127.0.0.0/8', (port: number) => `http://127.0.0.1:${port}/secret`],
    ['localhost', (port: number) => `http://localhost.:${port}/secret`],
  ])('allow %s → reads %s', async (entry, url) => {
    const { policy } = policyFor({ allow: [entry] });
    const result = await fetchWith(policy, url(peer.port));
    expect(result.data.title).toBe('Secret');
  });

  it('follows the redirect to loopback when loopback is allowed too', async () => {
    const { policy } = policyFor({ allow: ['public.example', '127.0.0.1'] });
    const result = await fetchWith(policy, `http://public.example:${peer.port}/to-loopback`);
    expect(result.data.url).toBe(`http://127.0.0.1:${peer.port}/secret`);
    expect(peer.requests).toEqual(['/to-loopback', '/secret']);
  });

  it.each([
    ['169.254.169.254', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['10.0.0.0/8', 'http://10.0.0.1/', '10.0.0.1'],
    ['fd00::/8', 'http://[fd00::1]/', 'fd00::1'],
    ['intranet.example', 'http://intranet.example/', '10.0.0.1'],
  ])('allow %s lets %s reach the (recording) connector', async (entry, url, address) => {
    const { policy, sockets } = policyFor({ allow: [entry] });
    const error = await rejection(fetchWith(policy, url));
    // The recording connector refused it: no packet, but the policy let it through.
    expect(error.code).toBe('BOTWIRE_EGRESS_FAILED');
    expect(sockets.attempts).toEqual([address]);
  });

  it('deny wins over allow', async () => {
    const { policy, sockets } = policyFor({ allow: ['127.0.0.0/8'], deny: ['127.0.0.1'] });
    const error = await rejection(fetchWith(policy, `http://127.0.0.1:${peer.port}/secret`));
    expect(error.message).toContain('rule "deny-list"');
    expect(sockets.attempts).toEqual([]);
  });
});
