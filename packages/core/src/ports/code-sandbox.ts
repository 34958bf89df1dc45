/** Limits of one sandboxed run. */
export interface SandboxLimits {
  timeoutMs: number;
  memoryBytes: number;
  /** The most output kept, in bytes. */
  outputBytes?: number;
}

/** What a sandboxed run produced. */
export interface SandboxResult {
  stdout: string;
  stderr: string;
  /** The value of the last expression, when the language has one. */
  result?: unknown;
  /** Files the code wrote to its working folder. */
  files: Array<{ name: string; data: Uint8Array }>;
  /** `ok`, or why the run ended. */
  status: 'ok' | 'error' | 'timeout' | 'memory';
  ms: number;
}

/**
 * The code sandbox port: no network, no host filesystem, hard limits on time and memory. The
 * embedded driver is Pyodide, the production one Docker. No driver ships yet: the Python
 * sandbox issue brings them.
 */
export interface CodeSandbox {
  readonly name: string;
  run(
    code: string,
    options: {
      language: 'python';
      files?: Array<{ name: string; data: Uint8Array }>;
    } & Partial<SandboxLimits>,
  ): Promise<SandboxResult>;
  close(): Promise<void>;
}
