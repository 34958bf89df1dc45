import { Writable } from 'node:stream';
import type { SandboxError, SandboxFile } from '@botwire/core';
import { resultMarkers } from './sandbox-bootstrap';

/** Splits Docker's multiplexed stream (8-byte frame headers) into stdout and stderr. */
export type Demultiplex = (
  stream: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
) => void;

/** What a container wrote, read from its attach stream. */
export interface ContainerOutput {
  /** Resolves when the stream ends, fails or is closed. */
  ended: Promise<void>;
  /** Everything written to stdout, up to the cap. */
  stdout(): Buffer;
  /** The last bytes written to stderr (the bootstrap's own errors), as text. */
  stderrTail(): string;
  /** True once stdout passed the cap: what came after was dropped. */
  readonly flooded: boolean;
}

const stderrKept = 64 * 1024;

/**
 * Reads a container's attach stream, keeping at most `capBytes` of stdout and the last 64 KiB of
 * stderr; `onFlood` is called once when stdout passes the cap (the driver then kills the
 * container, since only the bootstrap's own answer, a bounded size, belongs there).
 */
export function readContainerOutput(
  stream: NodeJS.ReadableStream,
  demultiplex: Demultiplex,
  capBytes: number,
  onFlood: () => void,
): ContainerOutput {
  const chunks: Buffer[] = [];
  let size = 0;
  let flooded = false;
  let stderr = Buffer.alloc(0);
  const stdoutSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!flooded) {
        if (size + chunk.length > capBytes) {
          flooded = true;
          onFlood();
        } else {
          chunks.push(chunk);
          size += chunk.length;
        }
      }
      done();
    },
  });
  const stderrSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > stderrKept) stderr = stderr.subarray(stderr.length - stderrKept);
      done();
    },
  });
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  demultiplex(stream, stdoutSink, stderrSink);
  return {
    ended,
    stdout: () => Buffer.concat(chunks),
    stderrTail: () => stderr.toString('utf8'),
    get flooded() {
      return flooded;
    },
  };
}

/** The runner's answer, as the bootstrap wrote it. */
export interface RunnerAnswer {
  stdout: string;
  stderr: string;
  result: string | null;
  error: SandboxError | null;
  truncated: boolean;
  files: SandboxFile[];
}

/**
 * Finds the bootstrap's answer in a container's stdout: `started` tells whether the code began
 * to run, `answer` is the runner's JSON between the result markers (the last pair, so text the
 * code wrote to the real stdout cannot stand in front of it), or undefined when the process
 * ended before writing it.
 */
export function findAnswer(
  stdout: Buffer,
  nonce: string,
): { started: boolean; answer: RunnerAnswer | undefined } {
  const markers = resultMarkers(nonce);
  const started = stdout.indexOf(markers.started) >= 0;
  const begin = stdout.lastIndexOf(markers.begin);
  if (begin < 0) return { started, answer: undefined };
  const from = begin + Buffer.byteLength(markers.begin);
  const end = stdout.indexOf(markers.end, from);
  if (end < 0) return { started, answer: undefined };
  let raw: unknown;
  try {
    raw = JSON.parse(stdout.subarray(from, end).toString('utf8'));
  } catch {
    return { started, answer: undefined };
  }
  return { started, answer: toAnswer(raw) };
}

function toAnswer(raw: unknown): RunnerAnswer | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const value = raw as Record<string, unknown>;
  const text = (item: unknown) => (typeof item === 'string' ? item : '');
  const error = value.error as { type?: unknown; message?: unknown } | null;
  const files = Array.isArray(value.files) ? value.files : [];
  return {
    stdout: text(value.stdout),
    stderr: text(value.stderr),
    result: typeof value.result === 'string' ? value.result : null,
    error:
      error && typeof error === 'object'
        ? { type: text(error.type) || 'Error', message: text(error.message) }
        : null,
    truncated: value.truncated === true,
    files: files.flatMap((file: { name?: unknown; data?: unknown }) =>
      typeof file?.name === 'string' && typeof file.data === 'string'
        ? [{ name: file.name, data: new Uint8Array(Buffer.from(file.data, 'base64')) }]
        : [],
    ),
  };
}
