/**
 * The browser skill's time per `browser_extract` call on loopback pages, with the skill's
 * default config: a static page, a page that fetches its content after load, and one that
 * fetches twice in a chain with a pause. Prints the median milliseconds per call with no wait
 * after load and with the default wait, what the wait costs, and how often the call saw the
 * text the page's scripts built. Asserts nothing.
 *
 *   node scripts/ensure-built.mjs && tsx bench/browser.bench.ts   (needs /usr/bin/chromium)
 */
import { createServer } from 'node:http';
import { EgressPolicy, loadSkills } from '../packages/core/dist/index.js';
import { BrowserPool, createBrowserSkill } from '../packages/skills/browser/dist/index.js';

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
const load = (config: Record<string, unknown>) =>
  loadSkills(
    [
      {
        use: { manifest, definition: createBrowserSkill({ pool }) },
        permissions: ['browser'],
        config,
      },
    ],
    { baseDir: process.cwd() },
  );
// "no wait" skips the wait after load (settleMs 0); the difference is what the wait costs.
// The calls of both alternate, so a machine whose load changes affects both alike.
const registries = { 'no wait': await load({ settleMs: 0 }), default: await load({}) };
const egress = new EgressPolicy({ allow: ['127.0.0.1'] });
const extract = (registry: (typeof registries)['default'], url: string) =>
  registry.callTool('browser_extract', { url }, { egress }) as Promise<{ text: string }>;
const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

await extract(registries.default, `${origin}/p0`); // starts the browser
console.log(`browser_extract, ${runs} calls per page and config; median ms per call`);
for (const [index, name] of Object.keys(pages).entries()) {
  const page = pages[name]!;
  const times: Record<string, number[]> = { 'no wait': [], default: [] };
  const seen: Record<string, number> = { 'no wait': 0, default: 0 };
  for (let run = 0; run < runs; run++) {
    for (const [config, registry] of Object.entries(registries)) {
      const started = performance.now();
      const reply = await extract(registry, `${origin}/p${index}`);
      times[config]!.push(performance.now() - started);
      if (reply.text.includes(page.expect)) seen[config]! += 1;
    }
  }
  const none = median(times['no wait']!);
  const waited = median(times.default!);
  console.log(
    `${name.padEnd(26)} no wait ${none.toFixed(0).padStart(5)} (text ${seen['no wait']}/${runs})` +
      `  default ${waited.toFixed(0).padStart(5)} (text ${seen.default}/${runs})` +
      `  the wait costs ${(waited - none).toFixed(0).padStart(5)}`,
  );
}
await pool.close();
server.close();
