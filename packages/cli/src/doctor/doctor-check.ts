/** `ok`: fine. `warn`: optional, or something to know; exit 0. `fail`: required; exit 1. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** The outcome of one `botwire doctor` check. */
export interface CheckResult {
  /** What was checked: `node`, `pnpm`, `config`, `data-dir`, `port`, `chromium`, `pdftotext`, `model`, `storage`, `queue`, `sequencer`, `vectors`, `telegram`, ... */
  name: string;
  status: CheckStatus;
  /** What was found, in one line. */
  message: string;
  /** What to do about it, in one line (on `warn` and `fail`). */
  fix?: string;
}

/** The environment, config and limits every check reads. */
export interface CheckContext {
  /** The variables checks read (`PORT`, `BOTWIRE_MODEL`, tokens, ...). */
  env: Record<string, string | undefined>;
  /** Where the config lives (or the current directory without one): packages resolve from here. */
  rootDir: string;
  /** How long one network request may take, in milliseconds. */
  timeoutMs: number;
}
