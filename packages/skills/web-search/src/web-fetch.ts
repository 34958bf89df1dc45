import type { ToolContext } from '@botwire/core';
import { decodeBody } from './decode-body';
import { extractPage } from './extract-page';
import type { WebFetchInput } from './skill-types';
import { userAgent } from './web-search';

/** What web_fetch found, for later steps: `{{s2.data.text}}`, `{{s2.data.title}}`. */
export interface WebFetchData {
  /** The final URL, after redirects. */
  url: string;
  title: string;
  /** The page's text (cut at maxChars). */
  text: string;
  contentType: string;
  charset: string;
  status: number;
  /** True when the text was cut (at maxChars, or because the page was over the size cap). */
  truncated: boolean;
  /** Characters of text before cutting. */
  totalChars: number;
  /** True when the page looks built by JavaScript (little text, scripts). */
  scriptRendered: boolean;
}

/** web_fetch's result. */
export interface WebFetchOutput {
  text: string;
  data: WebFetchData;
}

/** The most a page may weigh before its HTML is cut (it is parsed whole). */
const maxPageBytes = 5 * 1024 * 1024;

/**
 * A URL as typed by a person: `example.org/page` becomes `https://example.org/page`; a URL with
 * a scheme is kept as it is (a `file:` URL then meets the egress policy and is refused).
 */
export function normalizeUrl(text: string): string {
  const value = text.trim().replace(/^<|>$/g, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  if (/^(file|data|javascript|mailto|about|blob|ftp|gopher):/i.test(value)) return value;
  return `https://${value.replace(/^\/\//, '')}`;
}

const isJson = (type: string) => /[/+]json\b/.test(type);
const isText = (type: string) =>
  type.startsWith('text/') || /\/(xml|javascript|x-yaml|yaml|csv|markdown)\b/.test(type);
const isHtml = (type: string, text: string) =>
  type.includes('html') || (!type && /^\s*(<!doctype html|<html|<head|<body)/i.test(text));

/**
 * Reads a page through `context.fetch` (the egress policy applies to it and to every redirect)
 * and returns its text: the main text and title of HTML (Readability), JSON pretty-printed,
 * other text as sent; decoded in the page's charset; cut at maxChars with a note saying so.
 */
export async function webFetch(
  input: WebFetchInput,
  context: ToolContext,
): Promise<WebFetchOutput> {
  const maxChars = input.maxChars ?? Number(context.config.maxChars ?? 20000);
  const requested = normalizeUrl(input.url);
  const response = await context.fetch(requested, {
    headers: {
      'user-agent': userAgent,
      accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.9,*/*;q=0.5',
      'accept-language': context.locale === 'en' ? 'en,ru;q=0.5' : `${context.locale},en;q=0.8`,
    },
    maxResponseBytes: maxPageBytes,
    truncate: true,
  });
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!response.ok) {
    throw new Error(`${response.url} answered ${response.status}; the page could not be read`);
  }
  if (type && !isJson(type) && !isText(type) && !type.includes('html')) {
    throw new Error(`${response.url} is a ${type} file, not a page web_fetch can read as text`);
  }
  const decoded = decodeBody(response.body, response.headers.get('content-type'));
  let title = '';
  let text = decoded.text;
  let scriptRendered = false;
  if (isJson(type)) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not valid JSON after all (or cut by the size cap): pass it on as text.
    }
  } else if (isHtml(type, text)) {
    const page = extractPage(text, response.url);
    title = page.title;
    text = page.text;
    scriptRendered = page.scriptRendered;
  }
  text = text.replace(/\r\n?/g, '\n').trim();
  const totalChars = text.length;
  const cut = totalChars > maxChars;
  if (cut) text = text.slice(0, maxChars).trimEnd();
  const notes: string[] = [];
  if (cut) notes.push(context.t('cut', { count: totalChars - maxChars }));
  else if (response.truncated) notes.push(context.t('cutBytes', { bytes: maxPageBytes }));
  if (scriptRendered) notes.push(context.t('scriptRendered'));
  if (!text && !scriptRendered) notes.push(context.t('empty'));
  const data: WebFetchData = {
    url: response.url,
    title,
    text,
    contentType: type || 'unknown',
    charset: decoded.charset,
    status: response.status,
    truncated: cut || response.truncated,
    totalChars,
    scriptRendered,
  };
  const heading = title ? `${title}\n${response.url}` : response.url;
  const reply = [heading, text, ...notes].filter(Boolean).join('\n\n');
  return { text: reply, data };
}
