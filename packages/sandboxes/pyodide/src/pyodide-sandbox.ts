import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { type ChildOutcome, InterpreterProcess, makeSnapshot } from './interpreter-process';

/** Options of {@link pyodideSandbox}. */
export interface PyodideSandboxOptions extends Partial<SandboxLimits> {
  /** Interpreters kept loaded and waiting, so a run does not wait for Pyodide to load. Default 2. */
  pool?: number;
  /** How long an interpreter may take to load before it counts as failed. Default 60 000 ms. */
  loadTimeoutMs?: number;
  /** Waiting interpreters are stopped after this long without a run (the next run loads again). Default 300 000 ms. */
  idleMs?: number;
  /**
   * Whether to restore interpreters from a memory snapshot of a loaded one (made once, in the
   * system's temporary folder, about 30 MB) instead of loading each from scratch: about three
   * times as many fresh interpreters a second. Default true.
   */
  snapshot?: boolean;
  /**
   * At most this many interpreter processes at once, waiting, loading and running together
   * (each takes about 150 MB); runs beyond wait their turn. Default: twice `pool`.
   */
  maxProcesses?: number;
  /** Where the snapshot's own folder is made. Default: the system's temporary folder. */
  tempFolder?: string;
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
  const maxProcesses = options.maxProcesses ?? 2 * size;
  if (!Number.isInteger(maxProcesses) || maxProcesses < size || maxProcesses > 64)
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `maxProcesses must be a whole number from pool (${size}) to 64; it is ${maxProcesses}.`,
    });
  const loadTimeoutMs = options.loadTimeoutMs ?? 60_000;
  const defaults: SandboxLimits = {
    timeoutMs: options.timeoutMs ?? defaultSandboxLimits.timeoutMs,
    memoryBytes: options.memoryBytes ?? defaultSandboxLimits.memoryBytes,
    outputBytes: options.outputBytes ?? defaultSandboxLimits.outputBytes,
  };
  const idleMs = options.idleMs ?? 300_000;
  const idle: InterpreterProcess[] = [];
  /** Taken for a run: loading still, or running. */
  const running = new Set<InterpreterProcess>();
  /** Runs waiting for a process slot. */
  const waiters: Array<() => void> = [];
  const wakeOne = () => waiters.shift()?.();
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

  // Restoring a memory snapshot of a loaded interpreter takes a fraction of loading one. The
  // snapshot is made once, by a child that runs no user code, after the first interpreter is
  // ready (so the first run does not wait for it), into a folder only this user can read; it is
  // removed when the sandbox closes or the process exits. Until it is there, or if it cannot be
  // made, interpreters load from scratch.
  const snapshot: { path?: string; state: 'none' | 'making' | 'ready' | 'off' } = {
    state: options.snapshot === false ? 'off' : 'none',
  };
  let snapshotFolder: string | undefined;
  const removeSnapshot = () => {
    if (snapshotFolder) rmSync(snapshotFolder, { recursive: true, force: true });
    snapshotFolder = undefined;
  };
  const startSnapshot = () => {
    if (snapshot.state !== 'none' || closed) return;
    snapshot.state = 'making';
    try {
      const parent = options.tempFolder ?? tmpdir();
      sweepStaleSnapshots(parent);
      snapshotFolder = mkdtempSync(join(parent, `botwire-pyodide-${process.pid}-`));
      process.once('exit', removeSnapshot);
    } catch (error) {
      snapshot.state = 'off';
      options.log?.warn('sandbox-snapshot-failed', { error });
      refill();
      return;
    }
    const path = join(snapshotFolder, 'interpreter.snapshot');
    makeSnapshot(path, loadTimeoutMs).then(
      () => {
        snapshot.path = path;
        snapshot.state = 'ready';
        if (closed) removeSnapshot();
        else refill();
      },
      (error: unknown) => {
        snapshot.state = 'off';
        options.log?.warn('sandbox-snapshot-failed', { error });
        removeSnapshot();
        refill();
      },
    );
  };

  const refill = () => {
    while (!closed && idle.length < size && idle.length + running.size < maxProcesses) {
      // While the snapshot is being made, one interpreter loads from scratch and the rest wait
      // for the snapshot (loading several at once on a small machine slows each of them).
      if (snapshot.state === 'making' && idle.length > 0) return;
      const restored = snapshot.state === 'ready';
      const interpreter = new InterpreterProcess(
        loadTimeoutMs,
        restored ? snapshot.path : undefined,
      );
      idle.push(interpreter);
      interpreter.ready.then(
        () => setImmediate(startSnapshot),
        (error: unknown) => {
          options.log?.warn('sandbox-load-failed', { error, restored });
          const index = idle.indexOf(interpreter);
          if (index >= 0) {
            idle.splice(index, 1);
            wakeOne();
          }
          // A snapshot that does not restore is not tried again: later ones load from scratch.
          if (restored && snapshot.state === 'ready') {
            snapshot.state = 'off';
            removeSnapshot();
          }
        },
      );
      // The first one loads alone; the snapshot starts once it is ready.
      if (snapshot.state === 'none') return;
    }
  };

  /**
   * A loaded interpreter if one waits, else the one that will load first. The pool is refilled
   * after the run: starting a process holds the event loop for milliseconds, which a warm run
   * should not wait for.
   */
  const take = async (): Promise<InterpreterProcess> => {
    for (;;) {
      if (closed)
        throw new BotwireError('BOTWIRE_SANDBOX_FAILED', { message: 'The sandbox is closed.' });
      if (idle.length === 0) refill();
      const next = idle.shift();
      if (next) {
        running.add(next);
        next.hold(true);
        return next;
      }
      // As many processes as allowed: wait until a run ends.
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  /** Ends a taken interpreter and lets the next run have its slot. */
  const release = (interpreter: InterpreterProcess) => {
    running.delete(interpreter);
    restAfterRun();
    // After the caller has its answer: ending one process and starting the next holds the
    // event loop for milliseconds.
    setImmediate(() => {
      interpreter.kill();
      refill();
      wakeOne();
    });
  };

  return {
    name: 'pyodide',
    async run(code: string, runOptions: SandboxRunOptions = {}): Promise<SandboxResult> {
      const checked = checkSandboxRun(code, runOptions, defaults);
      if (closed)
        throw new BotwireError('BOTWIRE_SANDBOX_FAILED', { message: 'The sandbox is closed.' });
      const interpreter = await take();
      try {
        const outcome = await interpreter.run(
          checked.code,
          checked.files,
          checked.limits,
          runOptions.signal,
        );
        return toResult(outcome, checked.limits);
      } finally {
        release(interpreter);
      }
    },
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      for (const interpreter of [...idle.splice(0), ...running]) interpreter.kill();
      for (const wake of waiters.splice(0)) wake();
      process.off('exit', removeSnapshot);
      removeSnapshot();
    },
  };
}

/**
 * Removes the snapshot folders of bot processes that no longer run (a process killed with
 * SIGKILL, or by the system for memory, cannot remove its own): each folder names its process.
 */
function sweepStaleSnapshots(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^botwire-pyodide-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || processRuns(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** Whether a process of this id runs (one of another user counts as running). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
