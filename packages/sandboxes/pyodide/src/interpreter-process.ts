import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, realpathSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotwireError, pythonRunnerSource, type SandboxFile } from '@botwire/core';

/** The child program, shipped as it is (src/ and dist/ are both one folder below it). */
const childScript = fileURLToPath(new URL('../child/sandbox-child.mjs', import.meta.url));
/** Pyodide's own folder: the only files the child may read besides its own. */
const pyodideFolder = realpathSync(
  dirname(createRequire(import.meta.url).resolve('pyodide/package.json')),
);

/** What one run in a child gave back, before the sandbox reads it. */
export interface ChildOutcome {
  /** The runner's JSON text, when the code finished (with or without an exception). */
  json?: string;
  /** Why there is no JSON: the time limit, the memory limit, or the child died. */
  ended?: 'timeout' | 'memory' | 'crashed';
  /** What the child said when it crashed. */
  detail?: string;
  durationMs: number;
}

/** Resident memory of a process, from /proc (Linux); undefined elsewhere. */
function residentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kib ? Number(kib) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One Pyodide interpreter in its own process, loaded and waiting for one piece of code; used
 * once, then killed. The process has an empty environment, no stdin, Node's permission model
 * (reads Pyodide's files and its own only, writes nothing, starts no process or worker) and no
 * code generation from strings.
 */
export class InterpreterProcess {
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private stderr = '';
  private baseline = 0;
  private used = false;

  /**
   * @param snapshot a memory snapshot made by {@link makeSnapshot}: restored instead of loading
   *   Pyodide from scratch (the child may read that one file besides Pyodide's).
   */
  constructor(loadTimeoutMs: number, snapshot?: string) {
    this.child = spawnChild(snapshot ? { path: snapshot, mode: 'load' } : undefined);
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.stderr.length < 8192) this.stderr += chunk;
    });
    // Waiting in the pool, it does not keep the bot's process (or a CLI call) running.
    this.hold(false);
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(failed(`Pyodide did not load within ${loadTimeoutMs} ms.`));
      }, loadTimeoutMs);
      const onMessage = (message: { type?: string }) => {
        if (message?.type !== 'ready') return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.baseline = residentBytes(this.child.pid ?? 0) ?? 0;
        resolve();
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          failed(`The interpreter process ended while loading (${signal ?? code}). ${this.stderr}`),
        );
      });
      this.child.once('error', (error) => {
        clearTimeout(timer);
        reject(failed(`The interpreter process could not start: ${error.message}`));
      });
    });
    // A load that fails is reported by run(); nobody may be waiting yet.
    this.ready.catch(() => {});
  }

  /** True while the process runs. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Runs the code once. The time limit and the memory watchdog kill the process; so does an
   * abort. The process is done after this call, whatever happened.
   */
  async run(
    code: string,
    files: SandboxFile[],
    limits: { timeoutMs: number; memoryBytes: number; outputBytes: number },
    signal?: AbortSignal,
  ): Promise<ChildOutcome> {
    if (this.used) throw failed('An interpreter process runs one piece of code only.');
    this.used = true;
    await this.ready;
    const started = Date.now();
    if (!this.alive) return { ended: 'crashed', detail: this.stderr.trim(), durationMs: 0 };
    return new Promise<ChildOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Omit<ChildOutcome, 'durationMs'>, durationMs?: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(watchdog);
        signal?.removeEventListener('abort', onAbort);
        this.child.off('message', onMessage);
        // A child that answered ends by itself; any other is stopped now (it may still be busy).
        if (outcome.json === undefined) this.kill();
        resolve({ ...outcome, durationMs: durationMs ?? Date.now() - started });
      };
      const timer = setTimeout(() => finish({ ended: 'timeout' }), limits.timeoutMs);
      // The interpreter cannot bound its own memory: watch the process grow past its load.
      const watchdog = setInterval(() => {
        const now = residentBytes(this.child.pid ?? 0);
        if (now !== undefined && now - this.baseline > limits.memoryBytes)
          finish({ ended: 'memory' });
      }, 25);
      const onAbort = () => finish({ ended: 'timeout' });
      signal?.addEventListener('abort', onAbort, { once: true });
      const onMessage = (message: {
        type?: string;
        json?: string;
        message?: string;
        durationMs?: number;
      }) => {
        if (message?.type === 'result') finish({ json: message.json ?? '' }, message.durationMs);
        else if (message?.type === 'failed')
          finish({ ended: 'crashed', detail: message.message ?? '' });
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (exitCode, exitSignal) =>
        finish({ ended: 'crashed', detail: `${exitSignal ?? exitCode} ${this.stderr}`.trim() }),
      );
      this.child.send({
        type: 'run',
        code,
        outputBytes: limits.outputBytes,
        files: files.map((file) => ({
          name: file.name,
          data: Buffer.from(file.data).toString('base64'),
        })),
      });
    });
  }

  /**
   * Whether this process keeps Node's event loop alive: yes while someone waits for it (a run),
   * no while it waits in the pool. A process that exits takes its interpreters with it (they
   * stop when their IPC channel closes).
   */
  hold(keep: boolean): void {
    const handles = [this.child, this.child.channel, this.child.stderr] as Array<
      { ref?: () => void; unref?: () => void } | null | undefined
    >;
    for (const handle of handles) {
      if (keep) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  /** Kills the process (no-op once it ended). */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }
}

/**
 * Starts the child program under the permission model: it reads Pyodide's files, its own, and
 * the snapshot (in the mode `make` it may write that one file and nothing else).
 */
function spawnChild(snapshot?: { path: string; mode: 'make' | 'load' }): ChildProcess {
  const access = snapshot
    ? [
        `--allow-fs-read=${snapshot.path}`,
        ...(snapshot.mode === 'make' ? [`--allow-fs-write=${snapshot.path}`] : []),
      ]
    : [];
  return spawn(
    process.execPath,
    [
      '--experimental-permission',
      `--allow-fs-read=${join(pyodideFolder, '*')}`,
      `--allow-fs-read=${childScript}`,
      ...access,
      '--disallow-code-generation-from-strings',
      '--no-warnings',
      childScript,
      encodeURIComponent(pythonRunnerSource),
      // By its real path: the child may not look through node_modules to find it.
      join(pyodideFolder, 'pyodide.mjs'),
      ...(snapshot ? [snapshot.path, snapshot.mode] : []),
    ],
    { env: {}, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: false },
  );
}

/**
 * Loads Pyodide once in a child that runs no user code and has it write a memory snapshot of
 * the loaded interpreter to `path`, which later children restore in a fraction of the load time.
 * Resolves when the file is written. The child writes `<path>.part`, renamed to `path` once it
 * says the file is whole, so `path` is never seen half written.
 */
export function makeSnapshot(path: string, loadTimeoutMs: number): Promise<void> {
  const part = `${path}.part`;
  const child = spawnChild({ path: part, mode: 'make' });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 8192) stderr += chunk;
  });
  for (const handle of [child, child.channel, child.stderr] as Array<{ unref?: () => void } | null>)
    handle?.unref?.();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(failed(`Pyodide did not load within ${loadTimeoutMs} ms.`));
    }, loadTimeoutMs);
    timer.unref();
    child.on('message', (message: { type?: string }) => {
      if (message?.type !== 'snapshot') return;
      clearTimeout(timer);
      try {
        renameSync(part, path);
        resolve();
      } catch (error) {
        reject(failed(`The snapshot could not be moved into place: ${(error as Error).message}`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        failed(`The snapshot process ended before it wrote one (${signal ?? code}). ${stderr}`),
      );
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(failed(`The snapshot process could not start: ${error.message}`));
    });
  });
}

function failed(message: string): BotwireError {
  return new BotwireError('BOTWIRE_SANDBOX_FAILED', { message });
}
