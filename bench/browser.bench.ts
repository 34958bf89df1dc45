/**
 * The browser skill's wait after a page's `load` event, on loopback pages: a static page, a page that fetches its content after load, and one that
 * fetches twice in a chain with a pause. Prints, per page, the median time of the wait after
 * `load` as it was before issue 9 (Playwright's `networkidle`, capped at settleMs 1500) and as it
 * is now (the default quiet window), and how often the call saw the text the page's scripts
 * built. Asserts nothing.
 *
 *   node scripts/ensure-built.mjs && tsx bench/browser.bench.ts   (needs /usr/bin/chromium)
 */
import { createServer } from 'node:http';
import { EgressPolicy, loadSkills, silentLogger } from '../packages/core/dist/index.js';
import {
  BrowserPool,
  createBrowserSkill,
  withGuardedPage,
} from '../packages/skills/browser/dist/index.js';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const executablePath = process.env.BOTWIRE_CHROMIUM_PATH ?? '/usr/bin/chromium';
const manifest = JSON.parse(
  (await import('node:fs')).readFileSync(
    new URL('../packages/skills/browser/skill.json', import.meta.url),
    'utf8',
  ),
);

const pages: Record<string, { body: string; expect: string }> = {
  static: { body: '<title>Static</title><p>plain text</p>', expect: 'plain text' },
  'fetch after load': {
    body: `<title>Built</title><main id="app">loading</main><script>
      fetch('/data.json').then((r) => r.json()).then((d) => {
        document.getElementById('app').textContent = 'built: ' + d.items;
      });</script>`,
    expect: 'built: 42',
  },
  'two fetches, 100 ms apart': {
    body: `<title>Chain</title><main id="app">loading</main><script>
      fetch('/data.json').then((r) => r.json()).then((d) => new Promise((done) =>
        setTimeout(() => done(fetch('/data.json?again')), 100))).then((r) => r.json()).then((d) => {
        document.getElementById('app').textContent = 'chained: ' + d.items;
      });</script>`,
    expect: 'chained: 42',
  },
};

const routes = new Map(Object.values(pages).map((page, index) => [`/p${index}`, page]));
const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/data.json')
    return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":42}');
  const page = routes.get(path ?? '');
  if (!page) return void response.writeHead(404).end();
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page.body);
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const pool = new BrowserPool({ executablePath });
// The browser package's built types name core's sources (the workspace's paths), this file
// core's build: the same classes to the program, not to the type checker.
const definition = createBrowserSkill({ pool }) as never;
const registry = await loadSkills([{ use: { manifest, definition }, permissions: ['browser'] }], {
  baseDir: process.cwd(),
});
const egress = new EgressPolicy({ allow: ['127.0.0.1'] });
const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

/** The current wait: one `browser_extract` call with the default config; its log says how long. */
async function currentWait(url: string) {
  let settled = { ms: Number.NaN, outcome: '' };
  const log = {
    ...silentLogger,
    debug: (message: string, fields?: Record<string, unknown>) => {
      if (message === 'browser-page-settled') settled = fields as typeof settled;
    },
    child: () => log,
  };
  const reply = (await registry.callTool('browser_extract', { url }, { egress, log })) as {
    text: string;
  };
  return { ms: settled.ms, text: reply.text, outcome: settled.outcome };
}

/** The wait before this change: Playwright's `networkidle` (500 ms without requests), at most 1500 ms. */
async function networkIdleWait(url: string) {
  const { value } = await withGuardedPage(
    {
      pool,
      policy: egress as never,
      url,
      signal: new AbortController().signal,
      navigationTimeoutMs: 20_000,
      settleMs: 0,
      quietMs: 0,
      maxPageBytes: 25 * 1024 * 1024,
      viewport: { width: 1280, height: 800 },
    },
    async (page) => {
      const started = performance.now();
      await page.waitForLoadState('networkidle', { timeout: 1500 }).catch(() => {});
      const ms = performance.now() - started;
      return { ms, text: await page.evaluate<string>('document.body.innerText') };
    },
  );
  return value;
}

await currentWait(`${origin}/p0`); // starts the browser
console.log(
  `the wait after load, ${runs} calls per page and way; median ms (text the scripts built seen)`,
);
for (const [index, name] of Object.keys(pages).entries()) {
  const page = pages[name]!;
  const url = `${origin}/p${index}`;
  const before = { times: [] as number[], seen: 0 };
  const after = { times: [] as number[], seen: 0, caps: 0 };
  // The two alternate, so a machine whose load changes affects both alike.
  for (let run = 0; run < runs; run++) {
    const idle = await networkIdleWait(url);
    before.times.push(idle.ms);
    if (idle.text.includes(page.expect)) before.seen += 1;
    const current = await currentWait(url);
    after.times.push(current.ms);
    if (current.text.includes(page.expect)) after.seen += 1;
    if (current.outcome === 'cap') after.caps += 1;
  }
  console.log(
    `${name.padEnd(26)} networkidle (before) ${median(before.times).toFixed(0).padStart(5)} (${before.seen}/${runs})` +
      `   quiet window (now) ${median(after.times).toFixed(0).padStart(5)} (${after.seen}/${runs}, capped ${after.caps})`,
  );
}
await pool.close();
server.close();
