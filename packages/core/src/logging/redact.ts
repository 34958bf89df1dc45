const secretKeyPattern =
  /(token|secret|password|passwd|api[_-]?key|authorization|cookie|credential|private[_-]?key)/i;

/**
 * Remembers secret values and removes them from anything before it is logged.
 * Values of keys that look secret (`token`, `apiKey`, `password`, ...) are hidden too.
 */
export class Redactor {
  private readonly values = new Set<string>();

  /** Adds values to hide. Values shorter than 4 characters are ignored (too many false hits). */
  add(...values: Array<string | undefined>): void {
    for (const value of values) if (value && value.length >= 4) this.values.add(value);
  }

  /** Adds the values of environment variables whose names look secret. */
  addFromEnvironment(env: NodeJS.ProcessEnv = process.env): void {
    for (const [name, value] of Object.entries(env))
      if (secretKeyPattern.test(name)) this.add(value);
  }

  /** Hides every known secret inside a string. */
  redactText(text: string): string {
    let result = text;
    for (const value of this.values)
      if (result.includes(value)) result = result.split(value).join('[redacted]');
    return result;
  }

  /** A deep copy of `value` with secrets hidden; safe to serialize. */
  redact(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 8) return '[deep]';
    if (value instanceof Error) {
      return {
        name: value.name,
        message: this.redactText(value.message),
        ...this.redactObject(value, depth),
      };
    }
    if (Array.isArray(value)) return value.map((item) => this.redact(item, depth + 1));
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
    return this.redactObject(value as Record<string, unknown>, depth);
  }

  private redactObject(value: object, depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'raw') continue;
      result[key] =
        secretKeyPattern.test(key) && item != null ? '[redacted]' : this.redact(item, depth + 1);
    }
    return result;
  }
}
