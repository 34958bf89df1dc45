import { parseHTML } from 'linkedom';

/** One search result. */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

/** DuckDuckGo's HTML endpoint (no JavaScript, no API key). */
export const duckDuckGoUrl = 'https://html.duckduckgo.com/html/';

const clean = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * The target of a DuckDuckGo result link: DDG wraps results as `//duckduckgo.com/l/?uddg=<url>`;
 * other links are resolved against the page. Undefined for ads and anything not http(s).
 */
export function decodeResultUrl(href: string, pageUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, pageUrl);
  } catch {
    return undefined;
  }
  const target = url.pathname === '/l/' ? url.searchParams.get('uddg') : undefined;
  if (target) {
    try {
      url = new URL(target);
    } catch {
      return undefined;
    }
  } else if (url.pathname === '/y.js') return undefined; // an ad
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

/**
 * Reads the results of a DuckDuckGo HTML results page (`.result` blocks with `.result__a`
 * and `.result__snippet`), skipping ads. Throws when the page is a bot check rather than results.
 */
export function parseDuckDuckGo(html: string, pageUrl: string): SearchResult[] {
  const { document } = parseHTML(html);
  const results: SearchResult[] = [];
  const seen = new Set<string>();
  for (const block of document.querySelectorAll('.result')) {
    if (block.classList.contains('result--ad')) continue;
    const link = block.querySelector('.result__a');
    const href = link?.getAttribute('href');
    const url = href ? decodeResultUrl(href, pageUrl) : undefined;
    if (!link || !url || seen.has(url)) continue;
    seen.add(url);
    results.push({
      title: clean(link.textContent) || url,
      url,
      snippet: clean(block.querySelector('.result__snippet')?.textContent),
    });
  }
  if (results.length === 0 && /anomaly-modal|challenge-form|g-recaptcha/i.test(html)) {
    throw new Error(
      'DuckDuckGo answered with a bot check instead of results; try again later, or set SEARXNG_URL to a SearxNG instance of your own',
    );
  }
  return results;
}

/** Reads SearxNG's JSON API answer (`/search?format=json`): `{ results: [{ title, url, content }] }`. */
export function parseSearxng(json: unknown): SearchResult[] {
  const list = (json as { results?: unknown } | null)?.results;
  if (!Array.isArray(list))
    throw new Error(
      'SearxNG did not answer with JSON results; enable the json format in its settings.yml (search.formats)',
    );
  const results: SearchResult[] = [];
  const seen = new Set<string>();
  for (const item of list as Array<Record<string, unknown>>) {
    const url = typeof item.url === 'string' ? item.url : undefined;
    if (!url || !/^https?:\/\//i.test(url) || seen.has(url)) continue;
    seen.add(url);
    results.push({
      title: clean(typeof item.title === 'string' ? item.title : url) || url,
      url,
      snippet: clean(typeof item.content === 'string' ? item.content : ''),
    });
  }
  return results;
}

/** The request URL for a DuckDuckGo-style HTML endpoint. */
export function duckDuckGoRequest(base: string, query: string, region?: string): string {
  const url = new URL(base);
  url.searchParams.set('q', query);
  if (region) url.searchParams.set('kl', region);
  return url.href;
}

/** The request URL for SearxNG's JSON API under `base` (with or without a trailing slash). */
export function searxngRequest(base: string, query: string, region?: string): string {
  const url = new URL('search', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('q', query);
  url.searchParams.set('format', 'json');
  if (region) url.searchParams.set('language', region);
  return url.href;
}
