import { BotwireError } from '../errors/botwire-error';
import type { SandboxFile, SandboxLimits, SandboxRunOptions } from '../ports/code-sandbox';

/** The longest code a sandbox takes, in characters. */
export const maxCodeLength = 100_000;
/** The most bytes of files handed in to one run. */
export const maxInputFileBytes = 16 * 1024 * 1024;

/** The limits every driver applies unless told otherwise. */
export const defaultSandboxLimits: SandboxLimits = {
  timeoutMs: 10_000,
  memoryBytes: 256 * 1024 * 1024,
  outputBytes: 1024 * 1024,
};

const fileName = /^[\w][\w .()+,=@-]{0,127}$/u;

function invalid(message: string): BotwireError {
  return new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message });
}

function checkLimit(name: keyof SandboxLimits, value: number | undefined, max: number): number {
  if (value === undefined) return defaultSandboxLimits[name];
  if (!Number.isFinite(value) || value <= 0 || value > max)
    throw invalid(`${name} must be a number above 0 and at most ${max}; it is ${value}.`);
  return value;
}

/**
 * Checks a run's code and options before any sandbox starts, and gives its limits (the
 * options', else `defaults`): code must be a non-empty string of at most 100,000 characters
 * with no lone surrogate or U+FFFD (what is left of bytes that were not UTF-8); files plain
 * names, 16 MiB in all. Throws BOTWIRE_INVALID_ARGUMENT naming the problem.
 */
export function checkSandboxRun(
  code: unknown,
  options: SandboxRunOptions = {},
  defaults: SandboxLimits = defaultSandboxLimits,
): { code: string; limits: SandboxLimits; files: SandboxFile[] } {
  if (typeof code !== 'string')
    throw invalid(
      `The code must be a string of Python; it is ${code === null ? 'null' : typeof code}.`,
    );
  if (code.trim() === '') throw invalid('The code is empty: give the Python to run.');
  if (code.length > maxCodeLength)
    throw invalid(
      `The code is ${code.length} characters long; at most ${maxCodeLength} are taken. Pass data as a file instead.`,
    );
  const broken =
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFD/u.exec(code);
  if (broken)
    throw invalid(
      `The code is not valid UTF-8 text: character ${broken.index + 1} is ${broken[0] === '\uFFFD' ? 'U+FFFD, left where bytes could not be read' : 'half of a surrogate pair'}.`,
    );
  const limits: SandboxLimits = {
    timeoutMs: checkLimit('timeoutMs', options.timeoutMs ?? defaults.timeoutMs, 600_000),
    memoryBytes: checkLimit(
      'memoryBytes',
      options.memoryBytes ?? defaults.memoryBytes,
      8 * 1024 ** 3,
    ),
    outputBytes: checkLimit(
      'outputBytes',
      options.outputBytes ?? defaults.outputBytes,
      64 * 1024 ** 2,
    ),
  };
  const files = options.files ?? [];
  if (!Array.isArray(files)) throw invalid('files must be a list of { name, data }.');
  let total = 0;
  const names = new Set<string>();
  for (const file of files) {
    if (
      !file ||
      typeof file.name !== 'string' ||
      !fileName.test(file.name) ||
      file.name.includes('..')
    )
      throw invalid(
        `A file name must be a plain name such as data.csv (letters, digits, spaces, . _ - ( ) + , = @); "${String(file?.name)}" is not.`,
      );
    if (!(file.data instanceof Uint8Array))
      throw invalid(`The data of ${file.name} must be bytes.`);
    if (names.has(file.name)) throw invalid(`Two files are named ${file.name}.`);
    names.add(file.name);
    total += file.data.byteLength;
  }
  if (total > maxInputFileBytes)
    throw invalid(`The files are ${total} bytes in all; at most ${maxInputFileBytes} are taken.`);
  return { code, limits, files };
}
