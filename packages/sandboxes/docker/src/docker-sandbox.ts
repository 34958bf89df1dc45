import { randomBytes } from 'node:crypto';
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
import type Dockerode from 'dockerode';
import { type LiveRun, runContainer } from './container-run';
import { type ContainerSettings, containerSpec, isRootUser } from './container-spec';
import { checkImage, connectDocker, type DockerConnection } from './docker-client';

/** Options of {@link dockerSandbox}. */
export interface DockerSandboxOptions extends Partial<SandboxLimits> {
  /** The image the code runs in; it must have `python3` (default `python:3.12-slim`). Pull it first. */
  image?: string;
  /** Docker's unix socket (default: env `DOCKER_HOST`, else `/var/run/docker.sock`). */
  socketPath?: string;
  /** A dockerode client to use instead (for TCP with TLS, SSH, ...); it is not closed. */
  docker?: Dockerode;
  /** CPUs the code may use, fractions allowed (default 1). */
  cpus?: number;
  /** Processes and threads a run may hold (default 64). */
  pidsLimit?: number;
  /** Size of the tmpfs at `/tmp`, which holds `/tmp/in` and `/tmp/out` (default 64 MiB). */
  tmpfsBytes?: number;
  /** `uid:gid` the code runs as (default `65534:65534`, nobody); root is refused. */
  user?: string;
  log?: Logger;
}

/** Most bytes of files in `/tmp/out/` that a run returns (what is past it is left out). */
const outputFilesLimit = 8 * 1024 * 1024;

function invalid(message: string): BotwireError {
  return new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message });
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw invalid(`${name} must be above 0; it is ${value}.`);
  return value;
}

function settingsOf(options: DockerSandboxOptions): ContainerSettings {
  const user = options.user ?? '65534:65534';
  if (isRootUser(user))
    throw invalid(`user must be a non-root uid:gid such as 65534:65534; "${user}" is root.`);
  return {
    image: options.image ?? 'python:3.12-slim',
    cpus: positive('cpus', options.cpus, 1),
    pidsLimit: Math.floor(positive('pidsLimit', options.pidsLimit, 64)),
    tmpfsBytes: Math.floor(positive('tmpfsBytes', options.tmpfsBytes, 64 * 1024 * 1024)),
    user,
  };
}

/**
 * The production code sandbox: each run gets a fresh container of `image` with no network, a
 * read-only root, a small tmpfs at `/tmp`, memory without swap, one CPU, 64 processes, a
 * non-root user without capabilities, and is removed when it ends. The image is checked once
 * (never pulled at run time); Docker is reached at `socketPath`, `docker` or `DOCKER_HOST`.
 *
 * @example
 * const sandbox = dockerSandbox({ image: 'python:3.12-slim', memoryBytes: 512 * 1024 * 1024 });
 * const run = await sandbox.run('sum(range(10))');
 * run.result; // '45'
 * await sandbox.close();
 */
export function dockerSandbox(options: DockerSandboxOptions = {}): CodeSandbox {
  const settings = settingsOf(options);
  // The default limits are checked as a run's limits are (any code will do for the check).
  const defaults = checkSandboxRun('defaults', {
    timeoutMs: options.timeoutMs ?? defaultSandboxLimits.timeoutMs,
    memoryBytes: options.memoryBytes ?? defaultSandboxLimits.memoryBytes,
    outputBytes: options.outputBytes ?? defaultSandboxLimits.outputBytes,
  }).limits;
  const live = new Set<LiveRun>();
  let ready: Promise<DockerConnection> | undefined;
  let closed = false;

  const connect = () => {
    ready ??= (async () => {
      const connection = await connectDocker(options);
      await checkImage(connection, settings.image);
      options.log?.debug('sandbox-docker-ready', {
        image: settings.image,
        where: connection.where,
      });
      return connection;
    })();
    // A failed check is tried again on the next run (Docker may have started, the image been pulled).
    ready.catch(() => {
      ready = undefined;
    });
    return ready;
  };

  return {
    name: 'docker',
    async run(code: string, runOptions: SandboxRunOptions = {}): Promise<SandboxResult> {
      const input = checkSandboxRun(code, runOptions, defaults);
      if (closed)
        throw new BotwireError('BOTWIRE_SANDBOX_FAILED', {
          message: 'The Docker sandbox is closed; create a new one.',
        });
      const connection = await connect();
      return runContainer({
        connection,
        spec: containerSpec(settings, input.limits.memoryBytes),
        request: {
          nonce: randomBytes(12).toString('hex'),
          code: input.code,
          files: input.files.map((file) => ({
            name: file.name,
            data: Buffer.from(file.data).toString('base64'),
          })),
          output_bytes: input.limits.outputBytes,
          files_limit: outputFilesLimit,
        },
        limits: input.limits,
        ...(runOptions.signal ? { signal: runOptions.signal } : {}),
        ...(options.log ? { log: options.log } : {}),
        live,
      });
    },
    async close() {
      closed = true;
      const runs = [...live];
      for (const run of runs) run.stop('closed');
      await Promise.all(
        runs.map((run) => run.container.remove({ force: true }).catch(() => undefined)),
      );
    },
  };
}
