import { BotwireError } from '@botwire/core';
import type Dockerode from 'dockerode';

/** How the driver reaches Docker: a client of its own or one it was given. */
export interface DockerConnection {
  docker: Dockerode;
  /** Where Docker is, for messages (`unix:///var/run/docker.sock`, `tcp://host:2375`). */
  where: string;
}

/** Loads dockerode and opens a client for `socketPath`, else env `DOCKER_HOST`, else the default socket. */
export async function connectDocker(options: {
  docker?: Dockerode;
  socketPath?: string;
}): Promise<DockerConnection> {
  if (options.docker) return { docker: options.docker, where: describeClient(options.docker) };
  let Docker: typeof Dockerode;
  try {
    Docker = (await import('dockerode')).default;
  } catch (error) {
    throw new BotwireError('BOTWIRE_SANDBOX_FAILED', {
      message: 'The package dockerode could not be loaded.',
      hint: 'Install it: pnpm add dockerode',
      cause: error,
    });
  }
  try {
    const docker = options.socketPath
      ? new Docker({ socketPath: options.socketPath })
      : new Docker();
    return { docker, where: describeClient(docker, options.socketPath) };
  } catch (error) {
    // dockerode throws here only for a DOCKER_HOST it cannot read.
    throw new BotwireError('BOTWIRE_SANDBOX_FAILED', {
      message: `Docker cannot be reached: DOCKER_HOST is "${process.env.DOCKER_HOST}" (${error instanceof Error ? error.message : String(error)}).`,
      hint: 'Set DOCKER_HOST to unix:///path/to/docker.sock or tcp://host:port, or pass socketPath.',
      cause: error,
    });
  }
}

function describeClient(docker: Dockerode, socketPath?: string): string {
  if (socketPath) return `unix://${socketPath}`;
  const modem = docker.modem as { socketPath?: unknown; host?: string; port?: string | number };
  if (typeof modem.socketPath === 'string') return `unix://${modem.socketPath}`;
  if (modem.host) return `tcp://${modem.host}${modem.port ? `:${modem.port}` : ''}`;
  return process.env.DOCKER_HOST || 'unix:///var/run/docker.sock (the default socket)';
}

/** The HTTP status of an Engine API answer, when the error is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The message Docker gave with an error answer, else the error's own. */
function reasonOf(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns an error of a Docker call into BOTWIRE_SANDBOX_FAILED: an answer of the engine keeps its
 * message; no answer at all means Docker is not reachable, and the message names where it was
 * looked for.
 */
export function dockerFailure(error: unknown, where: string, doing: string): BotwireError {
  if (error instanceof BotwireError) return error;
  if (statusOf(error) === undefined)
    return new BotwireError('BOTWIRE_SANDBOX_FAILED', {
      message: `Docker is not reachable at ${where} (${reasonOf(error)}) while ${doing}.`,
      hint: 'Start Docker, or point the sandbox at it with socketPath, a dockerode client, or DOCKER_HOST.',
      cause: error,
      details: { where },
    });
  return new BotwireError('BOTWIRE_SANDBOX_FAILED', {
    message: `Docker at ${where} refused ${doing}: ${reasonOf(error)}`,
    cause: error,
    details: { where, status: statusOf(error) },
  });
}

/**
 * Checks that `image` is present on the engine. The driver never pulls at run time: a missing
 * image fails with BOTWIRE_SANDBOX_FAILED and a hint to `docker pull` it.
 */
export async function checkImage(connection: DockerConnection, image: string): Promise<void> {
  try {
    await connection.docker.getImage(image).inspect();
  } catch (error) {
    if (statusOf(error) === 404)
      throw new BotwireError('BOTWIRE_SANDBOX_FAILED', {
        message: `The image ${image} is not on the Docker engine at ${connection.where}.`,
        hint: `Pull it once before the bot starts: docker pull ${image}`,
        cause: error,
        details: { image, where: connection.where },
      });
    throw dockerFailure(error, connection.where, `looking up the image ${image}`);
  }
}
