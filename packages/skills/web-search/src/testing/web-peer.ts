import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Encodes text in a single-byte charset that TextDecoder knows (windows-1251, koi8-r, ...). */
export function encodeSingleByte(text: string, charset: string): Uint8Array {
  const decoder = new TextDecoder(charset);
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) {
    const char = decoder.decode(Uint8Array.of(byte));
    if (!table.has(char)) table.set(char, byte);
  }
  return Uint8Array.from([...text], (char) => {
    const byte = table.get(char);
    if (byte === undefined) throw new Error(`"${char}" cannot be written in ${charset}`);
    return byte;
  });
}

const russian = 'Съешь же ещё этих мягких французских булок, да выпей чаю.';
const paragraph = (text: string, times = 8) => `<p>${Array(times).fill(text).join(' ')}</p>`;
const article = (title: string, body: string) =>
  `<html><head><title>${title}</title></head><body><nav><a href="/">Home</a> | <a href="/about">About</a></nav><article><h1>${title}</h1>${body}</article><footer>Footer links</footer></body></html>`;

/** A page served by the peer: status, headers and body. */
interface Page {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** A local peer of the web: a DuckDuckGo-style HTML endpoint, a SearxNG JSON API, and pages. */
export interface WebPeer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  /** Every path requested, in order. */
  requests: string[];
  /** The queries the search endpoints were asked. */
  queries: string[];
  close(): Promise<void>;
}

/** The text every Cyrillic charset page carries (so the charset matters). */
export const charsetSample = russian;
/** The text of the ISO-8859-1 page. */
export const latinSample = "Un café crème à la française, près de la fenêtre. Voilà déjà l'été.";

function pages(base: string): Record<string, Page | ((url: URL) => Page)> {
  const html = (body: string | Uint8Array, type = 'text/html; charset=utf-8'): Page => ({
    headers: { 'content-type': type },
    body,
  });
  return {
    '/html/': (url) => {
      const query = url.searchParams.get('q') ?? '';
      const result = (target: string, title: string, snippet: string, ad = false) =>
        `<div class="result results_links${ad ? ' result--ad' : ''}"><h2 class="result__title"><a rel="nofollow" class="result__a" href="${target}">${title}</a></h2><a class="result__url" href="${target}">x</a><a class="result__snippet" href="${target}">${snippet}</a></div>`;
      const uddg = (target: string) =>
        `//duckduckgo.com/l/?uddg=${encodeURIComponent(target)}&amp;rut=abc`;
      if (query === 'nothing at all') return html('<div class="no-results">No results.</div>');
      if (query === 'captcha') return html('<div class="anomaly-modal">Are you a robot?</div>');
      return html(
        `<html><body><div id="links">${[
          result('https://duckduckgo.com/y.js?ad_domain=ads.example', 'Buy now', 'An ad', true),
          result(
            uddg(`${base}/utf8`),
            `First <b>${query}</b> page`,
            `About <b>${query}</b>: the first.`,
          ),
          result(
            uddg('https://example.org/two?a=1&b=2'),
            'Second &amp; more',
            'The second result.',
          ),
          result('https://example.net/three', 'Third', 'A direct link.'),
          result(uddg(`${base}/utf8`), 'Duplicate', 'The first again.'),
        ].join('')}</div></body></html>`,
      );
    },
    '/search': (url) => {
      if (url.searchParams.get('format') !== 'json') return { status: 403, body: 'format' };
      const query = url.searchParams.get('q') ?? '';
      return {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query,
          results: [
            { title: `Searx ${query}`, url: `${base}/utf8`, content: 'From SearxNG.' },
            { title: 'Not http', url: 'magnet:?xt=1', content: '' },
            { title: 'Other', url: 'https://example.org/other', content: '  spaced   out  ' },
          ],
        }),
      };
    },
    '/utf8': html(article('Булки', paragraph(russian))),
    '/cp1251': html(
      encodeSingleByte(article('Булки 1251', paragraph(russian)), 'windows-1251'),
      'text/html; charset=windows-1251',
    ),
    '/koi8': html(
      encodeSingleByte(
        `<html><head><meta charset="koi8-r"><title>Булки KOI8</title></head><body><article>${paragraph(russian)}</article></body></html>`,
        'koi8-r',
      ),
      'text/html',
    ),
    '/latin1': html(
      encodeSingleByte(
        `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><title>Café crème</title></head><body><article>${paragraph(latinSample)}</article></body></html>`,
        'iso-8859-1',
      ),
      'text/html',
    ),
    '/bom': {
      headers: { 'content-type': 'text/plain' },
      body: new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(russian)]),
    },
    '/plain': {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Just text.\nTwo lines.',
    },
    '/json': {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'botwire', list: [1, 2] }),
    },
    '/long': html(article('Long', paragraph('A sentence of the long page goes here.', 2000))),
    '/spa': html(
      '<html><head><title>App</title><script src="/bundle.js"></script></head><body><div id="root"></div><noscript>Enable JavaScript.</noscript><script>window.render()</script></body></html>',
    ),
    '/with-loopback-resources': html(
      article(
        'Resources',
        `${paragraph('This page has an image and a script that point at loopback.')}<img src="${base}/secret.png"><script src="http://127.0.0.1:${new URL(base).port}/secret.js"></script><iframe src="${base}/secret-frame"></iframe>`,
      ),
    ),
    '/redirect': { status: 301, headers: { location: '/redirect2' } },
    '/redirect2': { status: 302, headers: { location: `${base}/utf8` } },
    '/to-loopback': {
      status: 302,
      headers: { location: `http://127.0.0.1:${new URL(base).port}/secret` },
    },
    '/secret': html(article('Secret', paragraph('The secret page behind the redirect.'))),
    '/file.pdf': { headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.4' },
    '/missing': { status: 404, body: 'no' },
  };
}

/** Starts the peer on 127.0.0.1 on a free port. */
export async function startWebPeer(): Promise<WebPeer> {
  const requests: string[] = [];
  const queries: string[] = [];
  let routes: ReturnType<typeof pages> = {};
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://peer');
    requests.push(url.pathname);
    if (url.searchParams.has('q')) queries.push(url.searchParams.get('q')!);
    const route = routes[url.pathname];
    const page = typeof route === 'function' ? route(url) : route;
    if (!page) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(page.status ?? 200, page.headers ?? {});
    response.end(page.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  routes = pages(base);
  return {
    base,
    port,
    requests,
    queries,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
