import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { EgressPolicy, SkillRegistry } from '@botwire/core';
import { blockedByDefault } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from './browser-pool';
import type { BlockedRequest, RequestEvent } from './guard-context';
import {
  chromium,
  chromiumPath,
  fakeNetwork,
  guardNetwork,
  type LoopbackServer,
  loadBrowserSkill,
  startServer,
  testPolicy,
} from './test-support';

interface Reply {
  text: string;
  data: { url: string; blocked: BlockedRequest[] };
}

const hasChromium = chromium.available;
const title = hasChromium
  ? 'the egress policy in the browser'
  : `the egress policy in the browser (SKIPPED: no browser at ${chromiumPath}; apt-get install -y chromium)`;

// Issue 6's list: each is refused by the default policy with the rule that refuses it.
const refused = blockedByDefault;

describe.skipIf(!hasChromium)(title, () => {
  const network = guardNetwork();
  const pool = new BrowserPool({ executablePath: chromiumPath });
  const events: RequestEvent[] = [];
  const udpPackets: string[] = [];
  let site: LoopbackServer;
  let neighbour: LoopbackServer;
  let udp: UdpSocket;
  let registry: SkillRegistry;
  // Waits longer for the page's scripts (workers, WebRTC) to try everything they try.
  let patient: SkillRegistry;
  // "news.example" looks public (its fake DNS answer is a public address); the fake socket
  // opener carries its connections to `site`, so nothing leaves this machine.
  const fake = fakeNetwork({ 'news.example': '93.184.216.34' }, () => site.port);
  const defaults = testPolicy({}, fake);
  const extract = async (url: string, egress: EgressPolicy) =>
    (await registry.callTool('browser_extract', { url }, { egress })) as Reply;

  beforeAll(async () => {
    udp = createSocket('udp4');
    udp.on('message', (_message, from) => udpPackets.push(`${from.address}:${from.port}`));
    await new Promise<void>((done) => udp.bind(0, '127.0.0.2', done));
    const udpPort = udp.address().port;
    neighbour = await startServer('127.0.0.2', { '/': '<p>neighbour</p>' });
    const other = neighbour.origin;
    site = await startServer('127.0.0.1', {
      '/to-loopback': (_request, response) =>
        response.writeHead(302, { location: 'http://127.0.0.1/' }).end(),
      '/hello': '<title>Hello</title><p>hello</p>',
      '/news': `<title>News</title><p>Today's news</p>
        <img src="http://127.0.0.1/pixel.png"><img src="http://169.254.169.254/latest/meta-data/">
        <script src="http://[::1]/script.js"></script><img src="http://10.0.0.1/x.png">
        <iframe src="http://localhost./frame"></iframe>`,
      '/neighbours': `<!doctype html><title>Neighbours</title>
        <link rel="preconnect" href="${other}"><link rel="dns-prefetch" href="//blocked.example">
        <link rel="prefetch" href="${other}/prefetch">
        <p>main page</p><p id="out"></p>
        <img src="${other}/pixel.png"><script src="${other}/script.js"></script>
        <iframe src="${other}/frame"></iframe>
        <script>
          const out = document.getElementById('out');
          fetch('${other}/api').then(() => out.append(' fetch-ok'), () => out.append(' fetch-refused'));
          navigator.sendBeacon('${other}/beacon', 'x');
          new Worker('/worker.js');
          const ws = new WebSocket('${other.replace('http', 'ws')}/ws');
          ws.onclose = (event) => out.append(' ws-closed-' + event.code);
          (async () => {
            const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.2:${udpPort}' }] });
            pc.createDataChannel('x');
            const offer = await pc.createOffer();
            await pc.setLocalDescription(offer);
            const peer = new RTCPeerConnection();
            await peer.setRemoteDescription(offer);
            const answer = await peer.createAnswer();
            await peer.setLocalDescription(answer);
            await pc.setRemoteDescription(answer);
            await pc.addIceCandidate({ candidate: 'candidate:1 1 udp 2122260223 127.0.0.2 ${udpPort} typ host', sdpMid: '0', sdpMLineIndex: 0 });
          })().catch(() => {});
        </script>`,
      '/worker.js': (_request, response) =>
        response
          .writeHead(200, { 'content-type': 'text/javascript' })
          .end(`fetch('${other}/from-worker').catch(() => {});`),
      '/download': `<title>Download</title><p>files</p><a id="file" href="/file.bin" download>file</a>
        <script>document.getElementById('file').click();</script>`,
      '/file.bin': (_request, response) =>
        response
          .writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-disposition': 'attachment; filename="file.bin"',
          })
          .end('secret'),
    });
    registry = await loadBrowserSkill(pool, {}, (event) => events.push(event));
    patient = await loadBrowserSkill(pool, { settleMs: 2000 });
  });

  afterAll(async () => {
    await pool.close();
    await Promise.all([site?.close(), neighbour?.close()]);
    udp?.close();
    network.restore();
  });

  describe('with the default policy, nothing reaches Chromium or the network', () => {
    it.each(refused)('refuses %s (rule "%s")', async (url, rule) => {
      const error = await extract(url, defaults).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'BOTWIRE_EGRESS_BLOCKED', details: { rule } });
      expect((error as Error).message).toMatch(/^Blocked by the egress policy: /);
      expect((error as Error).message).toContain(`(rule "${rule}")`);
    });

    it('decided every one of them before DNS, Chromium or a socket', () => {
      expect(fake.resolved).toEqual([]);
      expect(fake.connects).toEqual([]);
      expect(events).toEqual([]);
      expect(pool.launches).toBe(0);
      expect(network.attempts).toEqual([]);
    });
  });

  it('refuses a public-looking page that redirects to loopback', async () => {
    const error = await extract('http://news.example/to-loopback', defaults).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: 'BOTWIRE_EGRESS_BLOCKED',
      details: { url: 'http://127.0.0.1/', rule: 'loopback' },
    });
    // Only the public-looking host was connected to; the redirect target never was.
    expect(fake.connects).toEqual(['93.184.216.34:80']);
  });

  it('blocks and reports the images, scripts and frames of a page that point at private addresses', async () => {
    const reply = await extract('http://news.example/news', defaults);
    expect(reply.text).toContain("Today's news");
    const blocked = Object.fromEntries(reply.data.blocked.map((entry) => [entry.url, entry.rule]));
    expect(blocked).toEqual({
      'http://127.0.0.1/pixel.png': 'loopback',
      'http://169.254.169.254/latest/meta-data/': 'link-local',
      'http://[::1]/script.js': 'loopback',
      'http://10.0.0.1/x.png': 'private',
      'http://localhost./frame': 'loopback',
    });
    expect(reply.text).toContain('5 requests were blocked by the egress policy:');
    expect(reply.text).toContain('http://169.254.169.254/latest/meta-data/ (link-local)');
    // Sockets are kept alive between calls: whatever was opened went to the public-looking host.
    expect(new Set(fake.connects)).toEqual(new Set(['93.184.216.34:80']));
  });

  it('allows loopback once it is on the allow list, in any spelling', async () => {
    const allowed = testPolicy({ allow: ['127.0.0.1'] });
    for (const host of ['127.0.0.1', '127.1', '2130706433', '0x7f000001']) {
      const reply = await extract(`http://${host}:${site.port}/hello`, allowed);
      expect(reply.data.url).toBe(`${site.origin}/hello`);
      expect(reply.text).toContain('hello');
    }
  });

  it('lets no request of an allowed page reach a blocked address: subresources, fetch, workers, WebSockets, preconnect, WebRTC', async () => {
    const allowed = testPolicy({ allow: ['127.0.0.1'] });
    const reply = (await patient.callTool(
      'browser_extract',
      { url: `${site.origin}/neighbours` },
      { egress: allowed },
    )) as Reply;
    expect(reply.text).toContain('main page');
    expect(reply.text).toContain('fetch-refused');
    expect(reply.text).toContain('ws-closed-1008');
    const blocked = reply.data.blocked.map((entry) => entry.url.replace(neighbour.origin, ''));
    for (const path of ['/pixel.png', '/script.js', '/frame', '/api', '/from-worker'])
      expect(blocked).toContain(path);
    expect(blocked).toContain(`${neighbour.origin.replace('http', 'ws')}/ws`);
    expect(reply.data.blocked.every((entry) => entry.rule === 'loopback')).toBe(true);
    expect(neighbour.connections).toBe(0);
    expect(neighbour.hits).toEqual([]);
    expect(udpPackets).toEqual([]);
    expect(pool.escapedConnections).toBe(0);
  });

  it('downloads nothing', async () => {
    const allowed = testPolicy({ allow: ['127.0.0.1'] });
    const reply = await extract(`${site.origin}/download`, allowed);
    expect(reply.data.blocked).toContainEqual(
      expect.objectContaining({ url: `${site.origin}/file.bin`, rule: 'download' }),
    );
    expect(site.hits).not.toContain('/file.bin');

    await expect(extract(`${site.origin}/file.bin`, allowed)).rejects.toMatchObject({
      message: expect.stringContaining('is a file to download'),
    });
  });

  it('reused one browser and sent nothing past the loopback servers of this test', () => {
    expect(pool.launches).toBe(1);
    expect(network.attempts).toEqual([]);
  });
});
