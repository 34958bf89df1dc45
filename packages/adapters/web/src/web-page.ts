import { readFileSync } from 'node:fs';
import { loadPageStrings } from './page-strings';

/** A file of the chat page, read once, with the headers it is served with. */
export interface PageFile {
  body: string;
  headers: Record<string, string>;
}

const types: Record<string, string> = {
  'chat.js': 'text/javascript; charset=utf-8',
  'markdown.js': 'text/javascript; charset=utf-8',
  'markdown-dom.js': 'text/javascript; charset=utf-8',
  'translate.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
};

/** The page may load only its own files and talk only to its own origin. */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const common = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * Reads the page from the package's `public/` folder (beside `src/` and `dist/`): plain HTML,
 * CSS and JavaScript modules, served as they are, with no build step, and `strings.js` made
 * from the string tables in `public/locales/`.
 */
export function readPageFiles(): { page: PageFile; assets: Map<string, PageFile> } {
  const folder = new URL('../public/', import.meta.url);
  const read = (name: string) => readFileSync(new URL(name, folder), 'utf8');
  const assets = new Map<string, PageFile>();
  for (const [name, type] of Object.entries(types))
    assets.set(name, { body: read(name), headers: { ...common, 'content-type': type } });
  // The string tables become one module the page imports, so it starts in the right language.
  const strings = loadPageStrings(new URL('locales/', folder));
  assets.set('strings.js', {
    body: `/** The chat page's strings, from public/locales/*.json. */\nexport const strings = ${JSON.stringify(strings, null, 1)};\n`,
    headers: { ...common, 'content-type': 'text/javascript; charset=utf-8' },
  });
  return {
    page: {
      body: read('index.html'),
      headers: {
        ...common,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': contentSecurityPolicy,
        'x-frame-options': 'DENY',
      },
    },
    assets,
  };
}
