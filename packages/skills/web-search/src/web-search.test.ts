import { EgressPolicy, type SkillRegistry } from '@botwire/core';
import { closeEgressDispatcher } from '@botwire/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadWebSearch, rejection } from './testing/load-web-search';
import { charsetSample, latinSample, startWebPeer, type WebPeer } from './testing/web-peer';
import type { WebFetchOutput } from './web-fetch';
import type { WebSearchOutput } from './web-search';

let peer: WebPeer;
let registry: SkillRegistry;
let searxng: SkillRegistry;
/** The test's policy: the default one, plus the peer's loopback address. */
const egress = new EgressPolicy({ allow: ['127.0.0.1'] });

beforeAll(async () => {
  peer = await startWebPeer();
  registry = await loadWebSearch({ searchUrl: `${peer.base}/html/`, maxChars: 1000 });
  searxng = await loadWebSearch({ searxngUrl: peer.base, region: 'ru' });
});

afterAll(async () => {
  await closeEgressDispatcher(egress);
  await peer.close();
});

afterEach(() => {
  peer.requests.length = 0;
  peer.queries.length = 0;
});

const search = (args: Record<string, unknown>, on = registry) =>
  on.callTool('web_search', args, { egress }) as Promise<WebSearchOutput>;
const read = (args: Record<string, unknown>, locale = 'en') =>
  registry.callTool('web_fetch', args, { egress, locale }) as Promise<WebFetchOutput>;

describe('web_search', () => {
  it('parses DuckDuckGo-style HTML: titles, decoded result links, snippets; no ads, no duplicates', async () => {
    const result = await search({ query: 'булки' });
    expect(peer.queries).toEqual(['булки']);
    expect(result.data.engine).toBe('duckduckgo');
    expect(result.data.results).toEqual([
      { title: 'First булки page', url: `${peer.base}/utf8`, snippet: 'About булки: the first.' },
      {
        title: 'Second & more',
        url: 'https://example.org/two?a=1&b=2',
        snippet: 'The second result.',
      },
      { title: 'Third', url: 'https://example.net/three', snippet: 'A direct link.' },
    ]);
    expect(result.text).toContain('1. First булки page');
    expect(result.text).toContain(`   ${peer.base}/utf8`);
  });

  it('honours limit', async () => {
    expect((await search({ query: 'x', limit: 2 })).data.results).toHaveLength(2);
  });

  it('says when nothing was found, in the user language', async () => {
    const result = await search({ query: 'nothing at all' });
    expect(result.data.results).toEqual([]);
    expect(result.text).toBe('Nothing found for “nothing at all”.');
  });

  it('reports a bot check instead of returning no results', async () => {
    const error = await rejection(search({ query: 'captcha' }));
    expect(error.code).toBe('BOTWIRE_TOOL_FAILED');
    expect(error.message).toContain('SEARXNG_URL');
  });

  it('uses the SearxNG JSON API when searxngUrl is set', async () => {
    const result = await search({ query: 'cats' }, searxng);
    expect(peer.requests).toEqual(['/search']);
    expect(result.data).toEqual({
      query: 'cats',
      engine: 'searxng',
      results: [
        { title: 'Searx cats', url: `${peer.base}/utf8`, snippet: 'From SearxNG.' },
        { title: 'Other', url: 'https://example.org/other', snippet: 'spaced out' },
      ],
    });
  });

  it('refuses the search peer under the default policy', async () => {
    const error = await rejection(registry.callTool('web_search', { query: 'x' }));
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(peer.requests).toEqual([]);
  });
});

describe('web_fetch', () => {
  it('extracts the main text and the title of an HTML page, without navigation', async () => {
    const result = await read({ url: `${peer.base}/utf8` });
    expect(result.data).toMatchObject({ title: 'Булки', charset: 'utf-8', truncated: false });
    expect(result.data.text).toContain(charsetSample);
    expect(result.data.text).not.toContain('Footer links');
    expect(result.data.text).not.toContain('About');
    expect(result.text.startsWith(`Булки\n${peer.base}/utf8\n\n`)).toBe(true);
  });

  it.each([
    ['/cp1251', 'windows-1251', 'Булки 1251'],
    ['/koi8', 'koi8-r', 'Булки KOI8'],
  ])('decodes %s as %s', async (path, charset, title) => {
    const result = await read({ url: `${peer.base}${path}` });
    expect(result.data.charset).toBe(charset);
    expect(result.data.title).toBe(title);
    expect(result.data.text).toContain(charsetSample);
  });

  it('decodes ISO-8859-1 declared with http-equiv', async () => {
    const result = await read({ url: `${peer.base}/latin1` });
    expect(result.data.charset).toBe('windows-1252');
    expect(result.data.title).toBe('Café crème');
    expect(result.data.text).toContain(latinSample);
  });

  it('uses a byte-order mark, and passes plain text through', async () => {
    const bom = await read({ url: `${peer.base}/bom` });
    expect(bom.data.text).toBe(charsetSample);
    const plain = await read({ url: `${peer.base}/plain` });
    expect(plain.data).toMatchObject({
      text: 'Just text.\nTwo lines.',
      title: '',
      contentType: 'text/plain',
    });
  });

  it('pretty-prints JSON', async () => {
    const result = await read({ url: `${peer.base}/json` });
    expect(result.data.text).toBe('{\n  "name": "botwire",\n  "list": [\n    1,\n    2\n  ]\n}');
  });

  it('follows redirects and reports the final URL', async () => {
    const result = await read({ url: `${peer.base}/redirect` });
    expect(result.data.url).toBe(`${peer.base}/utf8`);
    expect(peer.requests).toEqual(['/redirect', '/redirect2', '/utf8']);
  });

  it('cuts the text at maxChars and says so', async () => {
    const result = await read({ url: `${peer.base}/long` });
    expect(result.data.text).toHaveLength(1000);
    expect(result.data.truncated).toBe(true);
    expect(result.data.totalChars).toBeGreaterThan(70_000);
    expect(result.text).toMatch(/\[cut: \d+ more characters\]$/);
    const wider = await read({ url: `${peer.base}/long`, maxChars: 5000 });
    expect(wider.data.text.length).toBeLessThanOrEqual(5000);
    expect(wider.data.text.length).toBeGreaterThan(4900);
    const russian = await read({ url: `${peer.base}/long` }, 'ru');
    expect(russian.text).toMatch(/\[обрезано: ещё \d+ символов\]$/);
  });

  it('returns what a script-built page sent and suggests the browser', async () => {
    const result = await read({ url: `${peer.base}/spa` });
    expect(result.data.scriptRendered).toBe(true);
    expect(result.data.title).toBe('App');
    expect(result.text).toContain('built by JavaScript');
    expect(result.text).toContain('browser');
    expect(peer.requests).toEqual(['/spa']);
  });

  it('never loads the images, scripts or frames of a page', async () => {
    const result = await read({ url: `${peer.base}/with-loopback-resources` });
    expect(result.data.text).toContain('point at loopback');
    expect(peer.requests).toEqual(['/with-loopback-resources']);
  });

  it('reads a bare domain as https', async () => {
    const { normalizeUrl } = await import('./web-fetch');
    expect(normalizeUrl('example.org/page')).toBe('https://example.org/page');
    expect(normalizeUrl(' <https://example.org> ')).toBe('https://example.org');
    expect(normalizeUrl('file:///etc/passwd')).toBe('file:///etc/passwd');
  });

  it('refuses binary files and error statuses', async () => {
    const pdf = await rejection(read({ url: `${peer.base}/file.pdf` }));
    expect(pdf.message).toContain('application/pdf');
    const missing = await rejection(read({ url: `${peer.base}/missing` }));
    expect(missing.message).toContain('404');
  });
});
