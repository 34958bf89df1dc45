import {
  BotwireError,
  type SkillDefinition,
  type SkillStrings,
  type ToolContext,
  type ToolReply,
} from '@botwire/core';
import type { Page } from 'playwright-core';
import { type BrowserPool, sharedBrowserPool } from './browser-pool';
import type { BlockedRequest, GuardState, RequestEvent } from './guard-context';
import { normalizeUrl, type OpenPageOptions, withGuardedPage } from './open-page';
import type { SkillInputs } from './skill-types';

/** The skill's options (`config` in botwire.config), with the defaults of its config_schema. */
export interface BrowserSkillConfig {
  /** The longest text browser_extract returns, in characters. Default 20000. */
  maxChars: number;
  /** Loading a page may take this long, in ms. Default 20000. */
  navigationTimeoutMs: number;
  /**
   * After `load`, wait at most this long for the page to finish (its network quiet, or the
   * call's `waitFor` selector), in ms. Default 1500.
   */
  settleMs: number;
  /** Nothing in flight for this long after `load` means the page is done, in ms. Default 150. */
  quietMs: number;
  /** All responses of one page together, in bytes. Default 25 MiB. */
  maxPageBytes: number;
  /** The largest screenshot or PDF, in bytes. Default 20 MiB. */
  maxArtifactBytes: number;
  /** The window size. Default 1280×800. */
  viewport: { width: number; height: number };
}

/** The defaults of {@link BrowserSkillConfig}. */
export const browserSkillDefaults: BrowserSkillConfig = {
  maxChars: 20_000,
  navigationTimeoutMs: 20_000,
  settleMs: 1500,
  quietMs: 150,
  maxPageBytes: 25 * 1024 * 1024,
  maxArtifactBytes: 20 * 1024 * 1024,
  viewport: { width: 1280, height: 800 },
};

/** Options for {@link createBrowserSkill}. */
export interface BrowserSkillOptions {
  /** The browser to use; default {@link sharedBrowserPool}, one per process. */
  pool?: BrowserPool;
  /** Sees every request of every page and what became of it (for logs and tests). */
  onRequest?: (event: RequestEvent) => void;
}

const strings: SkillStrings = {
  en: {
    blocked_one: '1 request was blocked by the egress policy: {list}.',
    blocked_other: '{count} requests were blocked by the egress policy: {list}.',
    more: 'and {count} more',
    cut: '(The text was cut at {max} characters.)',
    empty: '(The page has no text.)',
    screenshot: 'Screenshot of {url}',
    pdf: '{url} as a PDF',
  },
  ru: {
    blocked_one: 'Политика исходящих запросов заблокировала {count} запрос: {list}.',
    blocked_few: 'Политика исходящих запросов заблокировала {count} запроса: {list}.',
    blocked_many: 'Политика исходящих запросов заблокировала {count} запросов: {list}.',
    more: 'и ещё {count}',
    cut: '(Текст обрезан до {max} символов.)',
    empty: '(На странице нет текста.)',
    screenshot: 'Скриншот {url}',
    pdf: '{url} в PDF',
  },
};

/** The plural category of `count` in the user's language (`one`, `few`, `many`, `other`), from `Intl.PluralRules`. */
function pluralKey(locale: string, count: number): string {
  try {
    return new Intl.PluralRules(locale).select(count);
  } catch {
    return count === 1 ? 'one' : 'other';
  }
}

/** One sentence naming the blocked requests (at most five), or '' when none were. */
function blockedNote(context: ToolContext, blocked: readonly BlockedRequest[]): string {
  if (blocked.length === 0) return '';
  const shown = blocked.slice(0, 5).map((entry) => `${entry.url} (${entry.rule})`);
  if (blocked.length > shown.length)
    shown.push(context.t('more', { count: blocked.length - shown.length }));
  const params = { count: blocked.length, list: shown.join(', ') };
  const key = `blocked_${pluralKey(context.locale, blocked.length)}`;
  const text = context.t(key, params);
  // A category the strings do not have (Arabic's `two`, say) falls back to `other`.
  return text === key ? context.t('blocked_other', params) : text;
}

function settings(context: ToolContext): BrowserSkillConfig {
  return { ...browserSkillDefaults, ...(context.config as Partial<BrowserSkillConfig>) };
}

function hostName(url: string): string {
  try {
    return new URL(url).hostname.replace(/[^a-z0-9.-]+/gi, '_') || 'page';
  } catch {
    return 'page';
  }
}

function checkSize(bytes: Uint8Array, config: BrowserSkillConfig, what: string): Uint8Array {
  if (bytes.byteLength <= config.maxArtifactBytes) return bytes;
  throw new BotwireError('BOTWIRE_TOOL_FAILED', {
    message: `The ${what} is ${bytes.byteLength} bytes, more than maxArtifactBytes (${config.maxArtifactBytes}).`,
    hint: 'Take a screenshot of the visible part only (fullPage: false), or raise maxArtifactBytes in the skill config.',
  });
}

/** The rendered text of a page: each line trimmed, runs of blank lines cut to one. */
function tidyText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The browser skill's handlers: `browser_extract`, `browser_screenshot` and `browser_pdf`. Each
 * call opens its page in a fresh context of one shared Chromium, with every request under the
 * bot's egress policy (`context.egress`, given to tools with the `browser` permission).
 *
 * @example
 * // A bot of its own pool (tests, or a process with its own idle time):
 * const skill = createBrowserSkill({ pool: new BrowserPool({ idleMs: 10_000 }) });
 */
export function createBrowserSkill(
  options: BrowserSkillOptions = {},
): SkillDefinition<SkillInputs> {
  const pool = options.pool ?? sharedBrowserPool;

  const open = <T>(
    { url, waitFor }: { url: string; waitFor?: string },
    context: ToolContext,
    action: (page: Page, state: GuardState) => Promise<T>,
  ) => {
    const config = settings(context);
    const pageOptions: OpenPageOptions = {
      pool,
      policy: context.egress,
      url: normalizeUrl(url),
      signal: context.signal,
      navigationTimeoutMs: config.navigationTimeoutMs,
      settleMs: config.settleMs,
      quietMs: config.quietMs,
      ...(waitFor ? { waitFor } : {}),
      onSettled: (settled) => context.log.debug('browser-page-settled', settled),
      maxPageBytes: config.maxPageBytes,
      viewport: config.viewport,
      onRequest: (event) => {
        if (event.outcome === 'blocked')
          context.log.debug('browser-request-blocked', { url: event.url, rule: event.rule });
        options.onRequest?.(event);
      },
    };
    return withGuardedPage(pageOptions, action);
  };

  const join = (...parts: string[]) => parts.filter(Boolean).join('\n\n');

  return {
    strings,
    tools: {
      browser_extract: async ({ url, waitFor }, context): Promise<ToolReply> => {
        const { maxChars } = settings(context);
        const { value, state } = await open({ url, waitFor }, context, async (page) => ({
          url: page.url(),
          title: await page.title(),
          text: tidyText(
            await page.evaluate<string>("document.body ? document.body.innerText : ''"),
          ),
        }));
        const truncated = value.text.length > maxChars;
        const text = truncated ? value.text.slice(0, maxChars) : value.text;
        const heading = value.title ? `${value.title}\n${value.url}` : value.url;
        return {
          text: join(
            heading,
            text || context.t('empty'),
            truncated ? context.t('cut', { max: maxChars }) : '',
            blockedNote(context, state.blocked),
          ),
          data: { ...value, text, truncated, blocked: state.blocked, requests: state.fetched },
        };
      },

      browser_screenshot: async ({ url, fullPage, waitFor }, context): Promise<ToolReply> => {
        const config = settings(context);
        const { value, state } = await open({ url, waitFor }, context, async (page) => ({
          url: page.url(),
          title: await page.title(),
          png: checkSize(await page.screenshot({ type: 'png', fullPage }), config, 'screenshot'),
        }));
        return {
          text: join(
            context.t('screenshot', { url: value.url }),
            blockedNote(context, state.blocked),
          ),
          artifacts: [
            { name: `${hostName(value.url)}.png`, mimeType: 'image/png', data: value.png },
          ],
          data: {
            url: value.url,
            title: value.title,
            bytes: value.png.byteLength,
            blocked: state.blocked,
          },
        };
      },

      browser_pdf: async ({ url, landscape, format, waitFor }, context): Promise<ToolReply> => {
        const config = settings(context);
        const { value, state } = await open({ url, waitFor }, context, async (page) => ({
          url: page.url(),
          title: await page.title(),
          pdf: checkSize(
            await page.pdf({ format, landscape, printBackground: true }),
            config,
            'PDF',
          ),
        }));
        return {
          text: join(context.t('pdf', { url: value.url }), blockedNote(context, state.blocked)),
          artifacts: [
            { name: `${hostName(value.url)}.pdf`, mimeType: 'application/pdf', data: value.pdf },
          ],
          data: {
            url: value.url,
            title: value.title,
            bytes: value.pdf.byteLength,
            blocked: state.blocked,
          },
        };
      },
    },
  };
}
