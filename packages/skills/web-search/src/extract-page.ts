import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { htmlToText } from './html-to-text';

/** The readable part of an HTML page. */
export interface ExtractedPage {
  title: string;
  text: string;
  /** `readability` when Mozilla's Readability found an article; `density` for the fallback. */
  method: 'readability' | 'density';
  /** True when the page sent next to no text but has scripts: it is probably built by JavaScript. */
  scriptRendered: boolean;
}

/** Tags that are page furniture rather than content, removed before the fallback extraction. */
const furniture =
  'script, style, noscript, template, nav, header, footer, aside, form, iframe, svg';

const clean = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/** Below this many characters a page with scripts counts as script-rendered. */
const scriptRenderedBelow = 200;

type LinkedomDocument = ReturnType<typeof parseHTML>['document'];

/** The block with the most text for its markup: the fallback when Readability finds no article. */
function densest(document: LinkedomDocument): ReturnType<LinkedomDocument['querySelector']> {
  let best = document.body as ReturnType<LinkedomDocument['querySelector']>;
  let bestScore = 0;
  for (const element of document.querySelectorAll('main, article, [role=main], section, div, td')) {
    const text = clean(element.textContent);
    const links = clean(
      Array.from(element.querySelectorAll('a'))
        .map((link) => (link as { textContent: string | null }).textContent)
        .join(' '),
    );
    // Text that is mostly links (menus, tag clouds) counts for little.
    const score = text.length - links.length * 2 + (text.match(/[.!?。]/g)?.length ?? 0) * 20;
    if (score > bestScore) {
      best = element;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Extracts the main text and the title of an HTML page: Mozilla's Readability (Firefox Reader
 * View) on a linkedom DOM, and when it finds no article, the block with the densest text once
 * navigation, headers, footers and scripts are removed. It also says when the page looks built
 * by JavaScript (little text, some scripts), so the caller can suggest a real browser.
 *
 * @example
 * extractPage('<title>Hi</title><article><p>Hello there.</p></article>', 'https://example.org/');
 */
export function extractPage(html: string, url: string): ExtractedPage {
  const { document } = parseHTML(html);
  const scripts = document.querySelectorAll('script').length;
  const pageTitle =
    clean(document.querySelector('title')?.textContent) ||
    clean(document.querySelector('meta[property="og:title"]')?.getAttribute('content')) ||
    clean(document.querySelector('h1')?.textContent);
  let article: ReturnType<Readability['parse']> = null;
  try {
    // Readability changes the document it reads: give it a copy.
    const copy = parseHTML(html).document;
    Object.defineProperty(copy, 'documentURI', { value: url, configurable: true });
    article = new Readability(copy as never, { charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  if (article?.content) {
    const text = htmlToText(parseHTML(`<body>${article.content}</body>`).document.body);
    if (text.length >= scriptRenderedBelow) {
      return {
        title: clean(article.title) || pageTitle,
        text,
        method: 'readability',
        scriptRendered: false,
      };
    }
  }
  for (const element of document.querySelectorAll(furniture)) element.remove();
  const body = densest(document);
  const text = body ? htmlToText(body) : '';
  const whole = document.body ? htmlToText(document.body) : text;
  // A page whose body is all furniture still has that text: better than nothing.
  const chosen = text.length >= 50 ? text : whole;
  return {
    title: pageTitle,
    text: chosen,
    method: 'density',
    scriptRendered: scripts > 0 && chosen.length < scriptRenderedBelow,
  };
}
