/** A file handed to sandboxed code, or one it made. */
export interface SandboxFile {
  /** A plain file name (`data.csv`): no folders, no `..`. */
  name: string;
  data: Uint8Array;
}

/** Limits of one sandboxed run; a driver has defaults for each. */
export interface SandboxLimits {
  /** Wall time of the run. Default 10 000 ms. */
  timeoutMs: number;
  /** Memory the code may use. Default 256 MiB. */
  memoryBytes: number;
  /** Bytes of stdout and stderr together that are kept; beyond, they are cut with a marker. Default 1 MiB. */
  outputBytes: number;
}

/** Options of one run. */
export interface SandboxRunOptions extends Partial<SandboxLimits> {
  /** Files the code finds in `/tmp/in/` (read-write copies: the run cannot change the originals). */
  files?: SandboxFile[];
  /** Aborts the run, as the time limit does. */
  signal?: AbortSignal;
}

/** The exception that ended a run, as Python names it. */
export interface SandboxError {
  /** `ZeroDivisionError`, `TimeoutError`, `MemoryError`, ... */
  type: string;
  message: string;
}

/** What a sandboxed run produced. */
export interface SandboxResult {
  stdout: string;
  stderr: string;
  /** `repr()` of the value of the last expression, or null (no expression, or `None`). */
  result: string | null;
  /**
   * The exception that ended the run, or null: the code's own (`ZeroDivisionError`), or
   * `TimeoutError` at the time limit and `MemoryError` past the memory limit.
   */
  error: SandboxError | null;
  /** Files the code wrote to `/tmp/out/` (plain files at its top level). */
  files: SandboxFile[];
  /** True when stdout and stderr were cut at `outputBytes`. */
  truncated: boolean;
  /** How long the code ran, in ms. */
  durationMs: number;
}

/**
 * The code sandbox port: Python code runs with no network, no host files, no processes and hard
 * limits on time, memory and output; each run starts from an empty file system. A failure of
 * the code (an exception, the time limit) is a result with `error`, not a thrown error; `run`
 * throws only when the sandbox itself cannot run (`BOTWIRE_SANDBOX_FAILED`) or the input is bad
 * (`BOTWIRE_INVALID_ARGUMENT`). The embedded driver is Pyodide (`@botwire/sandbox-pyodide`),
 * the production one Docker (`@botwire/sandbox-docker`); every driver passes
 * `runCodeSandboxContract` from `@botwire/core/contract-suites`.
 *
 * @example
 * const run = await sandbox.run('import statistics\nstatistics.mean([1, 2, 3])');
 * run.result; // '2'
 */
export interface CodeSandbox {
  readonly name: string;
  /** Runs Python code. */
  run(code: string, options?: SandboxRunOptions): Promise<SandboxResult>;
  /** Stops every interpreter or container it holds. */
  close(): Promise<void>;
}
