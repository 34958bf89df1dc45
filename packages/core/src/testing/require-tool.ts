import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Whether a system program a test needs is there, and where. */
export interface ToolAvailability {
  /** The program's name, such as `pdftotext`. */
  name: string;
  /** True when the program was found and may be run. */
  available: boolean;
  /** Its absolute path when found. */
  path?: string;
  /** Why it is missing and how to install it (empty when available). */
  reason: string;
}

/** Options for {@link requireTool}. */
export interface RequireToolOptions {
  /** An absolute path to check instead of searching PATH (Chromium: `BOTWIRE_CHROMIUM_PATH`). */
  path?: string;
  /** Default `process.env`: reads `PATH`, `CI` and `BOTWIRE_TEST_HIDE_TOOLS`. */
  env?: Record<string, string | undefined>;
  /** Where the skip reason goes. Default `console.warn`, once per tool and process. */
  warn?: (message: string) => void;
}

const warned = new Set<string>();

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first executable `name` on `PATH`, or undefined. */
function findOnPath(name: string, pathVariable = process.env.PATH ?? ''): string | undefined {
  for (const folder of pathVariable.split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds a system program that some tests need (poppler's `pdftotext`, Chromium). When it is
 * missing, the tests that need it skip, and the reason with the install command is printed
 * once; under `CI=true` a missing program throws instead, so CI never passes by skipping.
 * `BOTWIRE_TEST_HIDE_TOOLS=pdftotext,chromium` treats the named programs as missing (to check
 * the skip path on a machine that has them).
 *
 * @example
 * const pdftotext = requireTool('pdftotext', 'apt-get install -y poppler-utils');
 * it.skipIf(!pdftotext.available)('extracts the text again', () => { ... });
 */
export function requireTool(
  name: string,
  install: string,
  options: RequireToolOptions = {},
): ToolAvailability {
  const env = options.env ?? process.env;
  const hidden = (env.BOTWIRE_TEST_HIDE_TOOLS ?? '')
    .split(',')
    .map((item) => item.trim())
    .includes(name);
  const path = hidden
    ? undefined
    : options.path
      ? isAbsolute(options.path) && isExecutable(options.path)
        ? options.path
        : undefined
      : findOnPath(name, env.PATH ?? '');
  if (path) return { name, available: true, path, reason: '' };
  const where = hidden
    ? 'hidden by BOTWIRE_TEST_HIDE_TOOLS'
    : options.path
      ? `no executable at ${options.path}`
      : 'not found on PATH';
  const reason = `${name} is missing (${where}); install it with: ${install}`;
  const ci = (env.CI ?? '').trim().toLowerCase();
  if (ci !== '' && ci !== '0' && ci !== 'false') {
    throw new Error(`${reason}. CI is set, so the tests that need it fail instead of skipping.`);
  }
  const warn = options.warn ?? ((message: string) => console.warn(message));
  if (options.warn || !warned.has(name)) {
    warned.add(name);
    warn(`skipping the tests that need ${name}: ${reason}`);
  }
  return { name, available: false, reason };
}
