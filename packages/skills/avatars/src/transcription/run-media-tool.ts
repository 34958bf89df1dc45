import { spawn } from 'node:child_process';
import { BotwireError } from '@botwire/core';

/** Options of {@link runMediaTool}. */
export interface RunMediaToolOptions {
  /** Kills the process (SIGKILL) after this long. */
  timeoutMs: number;
  /** Kills the process when aborted. */
  signal?: AbortSignal;
  /** The executable to run instead of the name on PATH (`/usr/bin/ffmpeg`). */
  binary?: string;
}

/** What an ffmpeg or ffprobe run printed. */
export interface MediaToolOutput {
  stdout: string;
  stderr: string;
}

/** How much of stderr is kept (ffmpeg's progress lines can be long). */
const maxStderrChars = 64_000;

/**
 * Runs `ffmpeg` or `ffprobe` with an argument array (no shell), stdin closed, and a hard
 * timeout. Resolves with its output when it exits 0. A missing binary is a
 * `BOTWIRE_TRANSCRIPTION_FAILED` that says to install it (`apt-get install ffmpeg`); a non-zero
 * exit rejects with an error carrying the last lines of stderr in `details.stderr`.
 *
 * @example
 * const { stdout } = await runMediaTool('ffprobe', ['-v', 'error', '-show_format', path], {
 *   timeoutMs: 30_000,
 * });
 */
export function runMediaTool(
  name: 'ffmpeg' | 'ffprobe',
  args: readonly string[],
  options: RunMediaToolOptions,
): Promise<MediaToolOutput> {
  const binary = options.binary ?? name;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason);
    const child = spawn(binary, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    let outcome: 'timeout' | 'aborted' | undefined;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-maxStderrChars);
    });
    const kill = (why: 'timeout' | 'aborted') => {
      outcome ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), options.timeoutMs);
    const onAbort = () => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      done();
      if (error.code === 'ENOENT') {
        reject(
          new BotwireError('BOTWIRE_TRANSCRIPTION_FAILED', {
            message: `${binary} is not installed (or not on PATH), and audio needs it to be read and split.`,
            hint: 'Install ffmpeg, which brings ffprobe: `apt-get install ffmpeg` (Debian, Ubuntu) or `brew install ffmpeg`.',
            details: { missing: binary },
            cause: error,
          }),
        );
      } else {
        reject(
          new BotwireError('BOTWIRE_TRANSCRIPTION_FAILED', {
            message: `${binary} could not start: ${error.message}`,
            cause: error,
          }),
        );
      }
    });
    child.on('close', (code) => {
      done();
      if (outcome === 'aborted') return reject(options.signal?.reason);
      if (outcome === 'timeout') {
        return reject(
          new BotwireError('BOTWIRE_TRANSCRIPTION_FAILED', {
            message: `${name} did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped.`,
            details: { tool: name, timeoutMs: options.timeoutMs },
          }),
        );
      }
      if (code !== 0) {
        const lastLines = stderr.trim().split('\n').slice(-5).join('\n');
        return reject(
          new BotwireError('BOTWIRE_TRANSCRIPTION_FAILED', {
            message: `${name} failed (exit ${code}): ${lastLines || 'no output'}`,
            details: { tool: name, exitCode: code, stderr: lastLines },
          }),
        );
      }
      resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr });
    });
  });
}
