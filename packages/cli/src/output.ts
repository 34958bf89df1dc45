/** Writes a line to standard output (results, JSON). */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Writes a line to standard error (problems, progress). */
export function printError(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** An error the way a person can act on it: code, message, every problem, hint. */
export function describeError(error: unknown): string {
  // A BotwireError describes itself. Known by its shape, so that printing never loads core.
  const describe = (error as { describe?: unknown } | null)?.describe;
  if (error instanceof Error && error.name === 'BotwireError' && typeof describe === 'function')
    return String(describe.call(error));
  return `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

/** Prints an error to standard error, described by {@link describeError}. */
export function reportError(error: unknown): void {
  printError(describeError(error));
}

/** JSON with bytes shown as their size, so artifacts do not flood the terminal. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item: unknown) => (item instanceof Uint8Array ? { bytes: item.byteLength } : item),
    2,
  );
}
