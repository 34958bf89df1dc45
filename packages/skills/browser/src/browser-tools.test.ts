import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Artifact, type EgressPolicy, type SkillRegistry, silentLogger } from '@botwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from './browser-pool';
import type { BlockedRequest } from './guard-context';
import {
  chromium,
  chromiumPath,
  guardNetwork,
  type LoopbackServer,
  loadBrowserSkill,
  startServer,
  testPolicy,
} from './test-support';

interface Reply {
  text: string;
  artifacts?: Artifact[];
  data: {
    url: string;
    title: string;
    text?: string;
    truncated?: boolean;
    blocked: BlockedRequest[];
  };
}

const hasChromium = chromium.available;
const title = hasChromium
  ? 'browser tools in Chromium'
  : `browser tools in Chromium (SKIPPED: no browser at ${chromiumPath}; apt-get install -y chromium)`;

describe.skipIf(!hasChromium)(title, () => {
  const network = guardNetwork();
  const pool = new BrowserPool({ executablePath: chromiumPath });
  const closedEarly: string[] = [];
  /** Requests that reached the hanging handler. */
  const arrived: string[] = [];
  let site: LoopbackServer;
  let neighbour: LoopbackServer;
  let policy: EgressPolicy;
  let registry: SkillRegistry;
  const call = async (tool: string, args: Record<string, unknown>, options = {}) =>
    (await registry.callTool(tool, args, { egress: policy, ...options })) as Reply;

  // The response's 'close' before it ended is the client going away (the request's own 'close'
  // no longer fires for a bodiless request whose socket closes, on current Node 20).
  const hang = (request: IncomingMessage, response: ServerResponse) => {
    arrived.push(request.url ?? '');
    response.on('close', () => {
      if (!response.writableEnded) closedEarly.push(request.url ?? '');
    });
  };

  beforeAll(async () => {
    neighbour = await startServer('127.0.0.2', { '/': '<p>neighbour</p>' });
    site = await startServer('127.0.0.1', {
      '/js': `<!doctype html><title>Built</title><body><main id="app">loading</main><script>
        fetch('/data.json').then((r) => r.json()).then((d) => {
          document.getElementById('app').textContent = 'Built by JavaScript: ' + d.items + ' items';
        });</script></body>`,
      '/data.json': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":42}');
      },
      '/tall': '<title>Tall</title><body style="margin:0"><div style="height:3000px">tall</div>',
      '/start': (_request, response) => response.writeHead(302, { location: '/middle' }).end(),
      '/middle': (_request, response) => response.writeHead(301, { location: '/dir/final' }).end(),
      '/dir/final': '<title>Final</title><p>arrived</p><img src="pic.png">',
      '/dir/pic.png': (_request, response) => response.writeHead(204).end(),
      '/to-neighbour': (_request, response) =>
        response.writeHead(302, { location: `${neighbour.origin}/` }).end(),
      '/long': `<title>Long</title><p>${'word '.repeat(400)}</p>`,
      '/big': `<title>Big</title><p>${'x'.repeat(5000)}</p>`,
      '/blob': (_request, response) =>
        response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(3000)),
      '/heavy': '<title>Heavy</title><img src="/blob?1"><img src="/blob?2"><img src="/blob?3">',
      '/cookie': (_request, response) =>
        response
          .writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'flavour=oat; Path=/' })
          .end(`<title>Cookie</title><p id="out"></p><script>
            fetch('/whoami').then((r) => r.text()).then((t) => {
              document.getElementById('out').textContent = 'server saw ' + t;
            });</script>`),
      '/whoami': (request, response) =>
        response
          .writeHead(200, { 'content-type': 'text/plain' })
          .end(request.headers.cookie ?? 'none'),
      '/slow': hang,
      '/late': `<title>Late</title><main id="app">loading</main><script>
        setTimeout(() => {
          const late = document.createElement('p');
          late.id = 'late';
          late.textContent = 'arrived late';
          document.getElementById('app').replaceWith(late);
        }, 600);</script>`,
      '/slow-data': (_request, response) => {
        setTimeout(
          () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":7}'),
          700,
        );
      },
      '/waits-for-data': `<title>Waits</title><main id="app">loading</main><script>
        fetch('/slow-data').then((r) => r.json()).then((d) => {
          document.getElementById('app').textContent = 'slow data: ' + d.items;
        });</script>`,
      '/slow-image': '<title>Slow</title><p>the text arrived</p><img src="/slow">',
      '/socket': `<title>Socket</title><p id="out"></p><script>
        const ws = new WebSocket('ws://' + location.host + '/ws');
        ws.onopen = () => ws.send('hello');
        ws.onmessage = (event) => { document.getElementById('out').textContent = event.data; };
      </script>`,
    });
    policy = testPolicy({ allow: ['127.0.0.1'] });
    registry = await loadBrowserSkill(pool);
  });

  afterAll(async () => {
    await pool.close();
    await Promise.all([site?.close(), neighbour?.close()]);
    network.restore();
  });

  it('extracts the text of a page built by JavaScript', async () => {
    const reply = await call('browser_extract', { url: `${site.origin}/js` });
    expect(reply.text).toContain('Built by JavaScript: 42 items');
    expect(reply.data).toMatchObject({ title: 'Built', url: `${site.origin}/js`, blocked: [] });
    expect(site.hits).toContain('/data.json');
  });

  it('waits after load for requests in flight, and no longer than the page needs', async () => {
    const settled: Array<Record<string, unknown>> = [];
    const log = {
      ...silentLogger,
      debug: (message: string, fields?: Record<string, unknown>) => {
        if (message === 'browser-page-settled') settled.push(fields ?? {});
      },
      child: () => log,
    };
    const patient = await loadBrowserSkill(pool, { settleMs: 5000 });
    const slow = (await patient.callTool(
      'browser_extract',
      { url: `${site.origin}/waits-for-data` },
      { egress: policy, log },
    )) as Reply;
    expect(slow.text).toContain('slow data: 7');
    const quiet = (await patient.callTool(
      'browser_extract',
      { url: `${site.origin}/tall` },
      { egress: policy, log },
    )) as Reply;
    expect(quiet.text).toContain('tall');
    // The slow fetch was waited for (it answers 700 ms after it starts); the static page
    // cost the quiet window, far from the 5 s cap.
    expect(settled.map((entry) => entry.outcome)).toEqual(['quiet', 'quiet']);
    expect(settled[1]!.ms).toBeLessThan(1000);
  });

  it('waits for the waitFor selector, for content a script builds with no request', async () => {
    const patient = await loadBrowserSkill(pool, { settleMs: 5000 });
    const hurried = (await patient.callTool(
      'browser_extract',
      { url: `${site.origin}/late` },
      { egress: policy },
    )) as Reply;
    expect(hurried.text).toContain('loading');
    const waited = (await patient.callTool(
      'browser_extract',
      { url: `${site.origin}/late`, waitFor: '#late' },
      { egress: policy },
    )) as Reply;
    expect(waited.text).toContain('arrived late');
  });

  it('takes a PNG screenshot of the window, or of the whole page', async () => {
    const reply = await call('browser_screenshot', { url: `${site.origin}/tall` });
    const png = Buffer.from(reply.artifacts?.[0]?.data ?? []);
    expect(reply.artifacts?.[0]).toMatchObject({ name: '127.0.0.1.png', mimeType: 'image/png' });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 800]);
    const full = await call('browser_screenshot', { url: `${site.origin}/tall`, fullPage: true });
    const whole = Buffer.from(full.artifacts?.[0]?.data ?? []);
    expect(whole.readUInt32BE(20)).toBe(3000);
  });

  it('prints the page to a PDF', async () => {
    const reply = await call('browser_pdf', { url: `${site.origin}/js`, landscape: true });
    const pdf = Buffer.from(reply.artifacts?.[0]?.data ?? []);
    expect(reply.artifacts?.[0]).toMatchObject({
      name: '127.0.0.1.pdf',
      mimeType: 'application/pdf',
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(reply.text).toContain('as a PDF');
  });

  it('follows redirects, checking each hop, and the page keeps its final address', async () => {
    const before = site.hits.length;
    const reply = await call('browser_extract', { url: `${site.origin}/start` });
    expect(reply.data.url).toBe(`${site.origin}/dir/final`);
    expect(reply.text).toContain('arrived');
    // Each hop fetched once (the final page is not fetched again), and "pic.png" resolved
    // against the final address.
    expect(site.hits.slice(before)).toEqual(['/start', '/middle', '/dir/final', '/dir/pic.png']);
  });

  it('refuses a redirect to an address the policy blocks, before connecting to it', async () => {
    const error = await call('browser_extract', { url: `${site.origin}/to-neighbour` }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: 'BOTWIRE_EGRESS_BLOCKED',
      details: { url: `${neighbour.origin}/`, rule: 'loopback' },
    });
    expect((error as Error).message).toContain('egress.allow');
    expect(neighbour.connections).toBe(0);
  });

  it('cuts long text at maxChars and says so', async () => {
    const short = await loadBrowserSkill(pool, { maxChars: 100 });
    const reply = (await short.callTool(
      'browser_extract',
      { url: `${site.origin}/long` },
      { egress: policy },
    )) as Reply;
    expect(reply.data.text).toHaveLength(100);
    expect(reply.data.truncated).toBe(true);
    expect(reply.text).toContain('(The text was cut at 100 characters.)');
  });

  it('enforces the size caps: one response, and the whole page', async () => {
    const small = testPolicy({ allow: ['127.0.0.1'], maxResponseBytes: 2000 });
    await expect(
      registry.callTool('browser_extract', { url: `${site.origin}/big` }, { egress: small }),
    ).rejects.toMatchObject({ code: 'BOTWIRE_EGRESS_TOO_LARGE' });

    const capped = await loadBrowserSkill(pool, { maxPageBytes: 4000 });
    const reply = (await capped.callTool(
      'browser_extract',
      { url: `${site.origin}/heavy` },
      { egress: policy },
    )) as Reply;
    expect(reply.data.blocked.map((entry) => entry.rule)).toContain('page-size');
  });

  it('gives up on a page that does not answer within the navigation timeout', async () => {
    const quick = await loadBrowserSkill(pool, { navigationTimeoutMs: 1000 });
    await expect(
      quick.callTool('browser_extract', { url: `${site.origin}/slow` }, { egress: policy }),
    ).rejects.toMatchObject({
      code: 'BOTWIRE_TOOL_FAILED',
      message: expect.stringMatching(/1000ms/),
    });
  });

  it('reads a page whose image never arrives, after the navigation timeout', async () => {
    const quick = await loadBrowserSkill(pool, { navigationTimeoutMs: 1000 });
    const started = Date.now();
    const reply = (await quick.callTool(
      'browser_extract',
      { url: `${site.origin}/slow-image` },
      { egress: policy },
    )) as Reply;
    expect(reply.text).toContain('the text arrived');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops the page and its requests when the call is aborted', async () => {
    const controller = new AbortController();
    // Give up once the page's request has reached the server (a loaded machine may take longer
    // than any fixed delay to launch the page), and measure from there.
    let abortedAt = 0;
    const watch = setInterval(() => {
      if (!arrived.includes('/slow?aborted')) return;
      clearInterval(watch);
      abortedAt = Date.now();
      controller.abort(new Error('user gave up'));
    }, 20);
    await expect(
      call(
        'browser_extract',
        { url: `${site.origin}/slow?aborted` },
        { signal: controller.signal },
      ),
    ).rejects.toThrow('user gave up');
    clearInterval(watch);
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(3000);
    await expect.poll(() => closedEarly.includes('/slow?aborted'), { timeout: 3000 }).toBe(true);
  });

  it('keeps cookies within a call, and not between calls', async () => {
    const first = await call('browser_extract', { url: `${site.origin}/cookie` });
    expect(first.text).toContain('server saw flavour=oat');
    const second = await call('browser_extract', { url: `${site.origin}/whoami` });
    expect(second.data.text).toBe('none');
  });

  it('carries a WebSocket to an allowed host', async () => {
    const reply = await call('browser_extract', { url: `${site.origin}/socket` });
    expect(reply.text).toContain('echo hello');
    expect(site.hits).toContain('websocket /ws');
  });

  it('reuses one browser for every call, and nothing escaped to the network', () => {
    expect(pool.launches).toBe(1);
    expect(pool.escapedConnections).toBe(0);
    expect(network.attempts).toEqual([]);
  });
});
