import {
  BotwireError,
  type CodeSandbox,
  checkSandboxRun,
  defaultSandboxLimits,
  type Logger,
  type SandboxLimits,
  type SandboxResult,
  type SandboxRunOptions,
} from '@botwire/core';
import { type ChildOutcome, InterpreterProcess } from './interpreter-process';

/** Options of {@link pyodideSandbox}. */
export interface PyodideSandboxOptions extends Partial<SandboxLimits> {
  /** Interpreters kept loaded and waiting, so a run does not wait for Pyodide to load. Default 2. */
  pool?: number;
  /** How long an interpreter may take to load before it counts as failed. Default 60 000 ms. */
  loadTimeoutMs?: number;
  /** Waiting interpreters are stopped after this long without a run (the next run loads again). Default 300 000 ms. */
  idleMs?: number;
  log?: Logger;
}

interface RunnerJson {
  stdout: string;
  stderr: string;
  result: string | null;
  error: { type: string; message: string } | null;
  truncated: boolean;
  files: Array<{ name: string; data: string }>;
}

/**
 * The embedded code sandbox: Python 3 in Pyodide (WebAssembly), each run in a fresh interpreter
 * of its own process, so nothing of one run reaches the next. The process has an empty
 * environment and no stdin, reads only Pyodide's files, writes none, starts no process and
 * cannot make JavaScript from strings; inside, `import js` is empty and outbound connections
 * throw. A pool of loaded interpreters waits for runs (Pyodide takes seconds to load); a used or
 * killed one is replaced in the background. The time limit and a memory watchdog kill the
 * process: the run answers `TimeoutError` or `MemoryError` and the next one works.
 *
 * @example
 * const sandbox = pyodideSandbox();
 * const { result } = await sandbox.run('sum(range(10))'); // '45'
 */
export function pyodideSandbox(options: PyodideSandboxOptions = {}): CodeSandbox {
  const size = options.pool ?? 2;
  if (!Number.isInteger(size) || size < 1 || size > 32)
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `pool must be a whole number from 1 to 32; it is ${size}.`,
    });
  const loadTimeoutMs = options.loadTimeoutMs ?? 60_000;
  const defaults: SandboxLimits = {
    timeoutMs: options.timeoutMs ?? defaultSandboxLimits.timeoutMs,
    memoryBytes: options.memoryBytes ?? defaultSandboxLimits.memoryBytes,
    outputBytes: options.outputBytes ?? defaultSandboxLimits.outputBytes,
  };
  const idleMs = options.idleMs ?? 300_000;
  const idle: InterpreterProcess[] = [];
  const running = new Set<InterpreterProcess>();
  let closed = false;
  let idleTimer: NodeJS.Timeout | undefined;
  const restAfterRun = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (running.size > 0) return;
      for (const interpreter of idle.splice(0)) interpreter.kill();
    }, idleMs);
    idleTimer.unref();
  };

  const refill = () => {
    while (!closed && idle.length < size) {
      const process = new InterpreterProcess(loadTimeoutMs);
      idle.push(process);
      process.ready.catch((error: unknown) => {
        options.log?.warn('sandbox-load-failed', { error });
        const index = idle.indexOf(process);
        if (index >= 0) idle.splice(index, 1);
      });
    }
  };

  /**
   * A loaded interpreter if one waits, else the one that will load first. The pool is refilled
   * after the run: starting a process holds the event loop for milliseconds, which a warm run
   * should not wait for.
   */
  const take = async (): Promise<InterpreterProcess> => {
    if (idle.length === 0) refill();
    const next = idle.shift();
    if (!next)
      throw new BotwireError('BOTWIRE_SANDBOX_FAILED', { message: 'The sandbox is closed.' });
    next.hold(true);
    await next.ready;
    return next;
  };

  return {
    name: 'pyodide',
    async run(code: string, runOptions: SandboxRunOptions = {}): Promise<SandboxResult> {
      const checked = checkSandboxRun(code, runOptions, defaults);
      if (closed)
        throw new BotwireError('BOTWIRE_SANDBOX_FAILED', { message: 'The sandbox is closed.' });
      const interpreter = await take();
      running.add(interpreter);
      try {
        const outcome = await interpreter.run(
          checked.code,
          checked.files,
          checked.limits,
          runOptions.signal,
        );
        return toResult(outcome, checked.limits);
      } finally {
        running.delete(interpreter);
        interpreter.kill();
        restAfterRun();
        setImmediate(refill);
      }
    },
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      for (const interpreter of [...idle.splice(0), ...running]) interpreter.kill();
    },
  };
}

function toResult(outcome: ChildOutcome, limits: SandboxLimits): SandboxResult {
  const base = { durationMs: outcome.durationMs, files: [], truncated: false, result: null };
  if (outcome.ended === 'timeout')
    return {
      ...base,
      stdout: '',
      stderr: '',
      error: { type: 'TimeoutError', message: `The code ran longer than ${limits.timeoutMs} ms.` },
    };
  if (outcome.ended === 'memory')
    return {
      ...base,
      stdout: '',
      stderr: '',
      error: {
        type: 'MemoryError',
        message: `The code used more than ${Math.round(limits.memoryBytes / 1024 / 1024)} MiB of memory.`,
      },
    };
  if (outcome.ended === 'crashed' || outcome.json === undefined)
    // The code took the interpreter down (it tried what the process may not do): its failure.
    return {
      ...base,
      stdout: '',
      stderr: '',
      error: {
        type: 'SandboxCrash',
        message:
          `The interpreter stopped while running the code: it tried something the sandbox does not allow. ${firstLine(outcome.detail)}`.trim(),
      },
    };
  const parsed = JSON.parse(outcome.json) as RunnerJson;
  return {
    stdout: parsed.stdout,
    stderr: parsed.stderr,
    result: parsed.result,
    error: parsed.error,
    truncated: parsed.truncated,
    files: parsed.files.map((file) => ({
      name: file.name,
      data: new Uint8Array(Buffer.from(file.data, 'base64')),
    })),
    durationMs: outcome.durationMs,
  };
}

/** The first line of what a dead interpreter said, without paths of the host. */
function firstLine(detail: string | undefined): string {
  const line = (detail ?? '').split('\n').find((text) => /Error|error/.test(text)) ?? '';
  return line.replace(/\/[^\s:]+/g, '…').slice(0, 200);
}
