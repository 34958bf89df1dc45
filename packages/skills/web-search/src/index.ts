import { defineSkill } from '@botwire/core';
import type { SkillInputs } from './skill-types';
import { webFetch } from './web-fetch';
import { webSearch } from './web-search';

export { type DecodedBody, decodeBody } from './decode-body';
export { type ExtractedPage, extractPage } from './extract-page';
export { htmlToText } from './html-to-text';
export {
  decodeResultUrl,
  duckDuckGoUrl,
  parseDuckDuckGo,
  parseSearxng,
  type SearchResult,
} from './search-engines';
export type { SkillInputs, WebFetchInput, WebSearchInput } from './skill-types';
export { normalizeUrl, type WebFetchData, type WebFetchOutput } from './web-fetch';
export { searchEngine, type WebSearchOutput } from './web-search';

/**
 * The web-search skill: `web_search` (DuckDuckGo, or SearxNG when SEARXNG_URL is set) and
 * `web_fetch` (a page's main text). Every request goes through `context.fetch`, so the bot's
 * egress policy applies. Grant it `network`:
 *
 * @example
 * skills: [{ use: '@botwire/skill-web-search', permissions: ['network'] }]
 */
export default defineSkill<SkillInputs>({
  strings: {
    en: {
      results: 'Search results for “{query}”:',
      noResults: 'Nothing found for “{query}”.',
      cut: '[cut: {count} more characters]',
      cutBytes: '[cut: the page is larger than {bytes} bytes; only its beginning was read]',
      scriptRendered:
        'This page seems to be built by JavaScript: the server sent almost no text. The browser skill (browser_extract) can render it.',
      empty: 'The page has no readable text.',
    },
    ru: {
      results: 'Результаты поиска по запросу «{query}»:',
      noResults: 'По запросу «{query}» ничего не нашлось.',
      cut: '[обрезано: ещё {count} символов]',
      cutBytes: '[обрезано: страница больше {bytes} байт, прочитано только начало]',
      scriptRendered:
        'Похоже, эту страницу строит JavaScript: сервер прислал почти без текста. Браузер (инструмент browser_extract) может её отрисовать.',
      empty: 'На странице нет текста, который можно прочитать.',
    },
  },
  tools: {
    web_search: webSearch,
    web_fetch: webFetch,
  },
});
