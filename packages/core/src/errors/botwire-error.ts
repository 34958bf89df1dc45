import { type BotwireErrorCode, errorCatalog } from './error-catalog';

/** One problem inside a larger error, located by a JSON path such as `/tools/0/name`. */
export interface Problem {
  /** Where the problem is: a JSON pointer into the document, or a config field path. */
  path: string;
  /** A stable code for this kind of problem, such as `BOTWIRE_MANIFEST_DUPLICATE_TOOL`. */
  code: string;
  /** What is wrong and how to fix it. */
  message: string;
  /** The file the problem is in, when there is one. */
  file?: string;
}

/** Options for {@link BotwireError}. */
export interface BotwireErrorOptions {
  /** Replaces the catalog's sentence with a more specific one. */
  message?: string;
  /** What to do about it, shown after the message. */
  hint?: string;
  /** Every individual problem, for errors that collect several. */
  problems?: Problem[];
  /** Extra structured data for programs (never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error class of Botwire. Its `code` is stable; its message says what to do.
 *
 * @example
 * throw new BotwireError('BOTWIRE_TOOL_NOT_FOUND', { message: 'No tool "pdf_make".' });
 */
export class BotwireError extends Error {
  readonly code: BotwireErrorCode;
  readonly hint: string | undefined;
  readonly problems: Problem[];
  readonly details: Record<string, unknown>;

  constructor(code: BotwireErrorCode, options: BotwireErrorOptions = {}) {
    super(
      options.message ?? errorCatalog[code],
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'BotwireError';
    this.code = code;
    this.hint = options.hint;
    this.problems = options.problems ?? [];
    this.details = options.details ?? {};
  }

  /** The message, the hint and every problem, one per line, for a terminal. */
  describe(): string {
    const lines = [`${this.code}: ${this.message}`];
    for (const problem of this.problems) {
      const where = problem.file ? `${problem.file} ${problem.path || '/'}` : problem.path || '/';
      lines.push(`  - ${where}: ${problem.message} [${problem.code}]`);
    }
    if (this.hint) lines.push(`  hint: ${this.hint}`);
    return lines.join('\n');
  }

  /** A plain object for JSON output (CLI `--json`, HTTP APIs). */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.problems.length ? { problems: this.problems } : {}),
      ...(Object.keys(this.details).length ? { details: this.details } : {}),
    };
  }
}

/**
 * True when `error` is a {@link BotwireError}, optionally with the given code. It also knows
 * errors from another copy of `@botwire/core` (two installed versions, or source and build
 * loaded side by side), by their name and catalogued code.
 */
export function isBotwireError(error: unknown, code?: BotwireErrorCode): error is BotwireError {
  const recognized =
    error instanceof BotwireError ||
    (error instanceof Error &&
      error.name === 'BotwireError' &&
      typeof (error as { code?: unknown }).code === 'string' &&
      Object.hasOwn(errorCatalog, (error as unknown as { code: string }).code));
  return recognized && (code === undefined || (error as BotwireError).code === code);
}
