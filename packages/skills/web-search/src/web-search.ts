import type { ToolContext } from '@botwire/core';
import {
  duckDuckGoRequest,
  duckDuckGoUrl,
  parseDuckDuckGo,
  parseSearxng,
  type SearchResult,
  searxngRequest,
} from './search-engines';
import type { WebSearchInput } from './skill-types';

/** web_search's result: the list as text for people and as data for later steps. */
export interface WebSearchOutput {
  text: string;
  data: { query: string; engine: 'duckduckgo' | 'searxng'; results: SearchResult[] };
}

/** The User-Agent of the skill's requests. */
export const userAgent = 'Mozilla/5.0 (compatible; Botwire/0.1; +https://github.com/botwire)';

const option = (config: Record<string, unknown>, key: string) =>
  typeof config[key] === 'string' && config[key] ? (config[key] as string) : undefined;

/** Which engine answers, and where: SearxNG when configured (option or SEARXNG_URL), else DuckDuckGo. */
export function searchEngine(
  config: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): { engine: 'duckduckgo' | 'searxng'; base: string } {
  const searxng = option(config, 'searxngUrl') ?? env.SEARXNG_URL;
  if (searxng) return { engine: 'searxng', base: searxng };
  return {
    engine: 'duckduckgo',
    base: option(config, 'searchUrl') ?? env.BOTWIRE_SEARCH_URL ?? duckDuckGoUrl,
  };
}

/**
 * Searches the web through `context.fetch` (so the egress policy applies): a SearxNG JSON API
 * when one is configured, else DuckDuckGo's HTML endpoint, whose page is parsed into results.
 */
export async function webSearch(
  input: WebSearchInput,
  context: ToolContext,
): Promise<WebSearchOutput> {
  const query = input.query.trim();
  const limit = input.limit ?? 5;
  const region = option(context.config, 'region');
  const { engine, base } = searchEngine(context.config);
  const url =
    engine === 'searxng'
      ? searxngRequest(base, query, region)
      : duckDuckGoRequest(base, query, region);
  const response = await context.fetch(url, {
    headers: {
      'user-agent': userAgent,
      accept: engine === 'searxng' ? 'application/json' : 'text/html',
      'accept-language': context.locale === 'en' ? 'en,ru;q=0.5' : `${context.locale},en;q=0.8`,
    },
    maxResponseBytes: 2 * 1024 * 1024,
  });
  const name = engine === 'searxng' ? 'SearxNG' : 'DuckDuckGo';
  if (!response.ok) {
    throw new Error(`${name} answered ${response.status} for ${url}; try again later`);
  }
  const body = new TextDecoder().decode(response.body);
  let results: SearchResult[];
  if (engine === 'searxng') {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new Error(
        `SearxNG at ${base} did not answer with JSON; enable the json format in its settings.yml (search.formats)`,
      );
    }
    results = parseSearxng(json);
  } else results = parseDuckDuckGo(body, response.url);
  results = results.slice(0, limit);
  const text = results.length
    ? [
        context.t('results', { query }),
        ...results.map(
          (result, index) =>
            `${index + 1}. ${result.title}\n   ${result.url}${result.snippet ? `\n   ${result.snippet}` : ''}`,
        ),
      ].join('\n')
    : context.t('noResults', { query });
  return { text, data: { query, engine, results } };
}
