import type { Duplex } from 'node:stream';
import type { Logger, SandboxLimits, SandboxResult } from '@botwire/core';
import type { Container, ContainerCreateOptions } from 'dockerode';
import { readContainerOutput } from './container-output';
import { type DockerConnection, dockerFailure, statusOf } from './docker-client';
import { abortedResult, closedError, runOutcome, type StopReason } from './run-outcome';
import { requestPrefix, type SandboxRequest } from './sandbox-bootstrap';

/** A run in progress, as the driver tracks it for `close()`. */
export interface LiveRun {
  stop(reason: StopReason): void;
  container: Container;
}

/** One run in one container. */
export interface ContainerRunInput {
  connection: DockerConnection;
  spec: ContainerCreateOptions;
  request: SandboxRequest;
  limits: SandboxLimits;
  signal?: AbortSignal;
  log?: Logger;
  /** Where the run is kept while its container exists. */
  live: Set<LiveRun>;
}

/** How long output may still arrive after the container ended. */
const flushMs = 2000;

/**
 * The most stdout a container may write: the runner's answer (output escaped at worst six bytes
 * a byte, 8 MiB of files as base64, a 100 000-character repr) and some slack. Past it the code
 * is writing to the real stdout itself, and the container is killed.
 */
export function stdoutCap(limits: SandboxLimits, filesLimit: number): number {
  return 6 * limits.outputBytes + Math.ceil(filesLimit / 3) * 4 + 6 * 100_000 + 1024 * 1024;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Creates a container, sends it the request over a hijacked attach stream, starts it, kills it
 * at the time limit (or on abort, flood or close), reads its answer and removes it, on every
 * path. A failure of the code is a result; only a failure of Docker throws.
 */
export async function runContainer(input: ContainerRunInput): Promise<SandboxResult> {
  const { connection, limits } = input;
  if (input.signal?.aborted) return abortedResult(0);
  let container: Container;
  try {
    // `_body` sends the spec as the JSON body only: by default dockerode also copies every option
    // into the query string, which would put the whole program in the URL.
    container = await connection.docker.createContainer({
      _query: {},
      _body: input.spec,
    } as ContainerCreateOptions);
  } catch (error) {
    throw dockerFailure(error, connection.where, 'creating a container');
  }
  let stopReason: StopReason | undefined;
  const run: LiveRun = {
    container,
    stop(reason) {
      if (stopReason) return;
      stopReason = reason;
      container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
    },
  };
  input.live.add(run);
  let stream: Duplex | undefined;
  try {
    try {
      // dockerode also sends these options as a JSON body; Docker drops it when it takes the
      // connection over (and the bootstrap skips it, should it reach stdin).
      stream = (await container.attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
      })) as Duplex;
    } catch (error) {
      throw dockerFailure(error, connection.where, 'attaching to a container');
    }
    stream.on('error', () => undefined);
    const output = readContainerOutput(
      stream,
      (from, stdout, stderr) => connection.docker.modem.demuxStream(from, stdout, stderr),
      stdoutCap(limits, input.request.files_limit),
      () => run.stop('flooded'),
    );
    stream.write(`${requestPrefix}${JSON.stringify(input.request)}\n`);
    const startedAt = performance.now();
    try {
      await container.start();
    } catch (error) {
      throw dockerFailure(error, connection.where, 'starting a container');
    }
    const timer = setTimeout(() => run.stop('timeout'), limits.timeoutMs);
    const onAbort = () => run.stop('aborted');
    input.signal?.addEventListener('abort', onAbort, { once: true });
    if (input.signal?.aborted) onAbort();
    let exit: { StatusCode?: number };
    try {
      exit = await container.wait();
    } catch (error) {
      if (stopReason === 'closed') throw closedError();
      throw dockerFailure(error, connection.where, 'waiting for a container');
    } finally {
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
    }
    const durationMs = Math.round(performance.now() - startedAt);
    await Promise.race([output.ended, sleep(flushMs)]);
    const state = await container
      .inspect()
      .then((info) => info.State)
      .catch(() => undefined);
    const exitCode = state?.ExitCode ?? exit.StatusCode ?? -1;
    input.log?.debug('sandbox-container-ended', {
      container: container.id.slice(0, 12),
      exitCode,
      oomKilled: state?.OOMKilled ?? false,
      stopped: stopReason ?? null,
      durationMs,
    });
    return runOutcome({
      stopReason,
      exitCode,
      oomKilled: state?.OOMKilled === true,
      stdout: output.stdout(),
      stderrTail: output.stderrTail(),
      nonce: input.request.nonce,
      image: String(input.spec.Image),
      limits,
      durationMs,
    });
  } finally {
    input.live.delete(run);
    stream?.destroy();
    await container.remove({ force: true }).catch((error: unknown) => {
      if (statusOf(error) !== 404)
        input.log?.warn('sandbox-container-not-removed', {
          container: container.id.slice(0, 12),
          reason: error instanceof Error ? error.message : String(error),
        });
    });
  }
}
