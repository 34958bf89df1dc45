import type { ContainerCreateOptions } from 'dockerode';
import { bootstrapSource } from './sandbox-bootstrap';

/** The settings of a container that do not change from run to run. */
export interface ContainerSettings {
  image: string;
  /** CPUs the code may use (fractions allowed). */
  cpus: number;
  /** Processes and threads the container may hold. */
  pidsLimit: number;
  /** Size of the tmpfs at `/tmp`, the only place the code may write. */
  tmpfsBytes: number;
  /** `uid:gid` the code runs as; never root. */
  user: string;
}

/** The label every sandbox container carries, so they can be found and cleaned up. */
export const sandboxLabel = 'botwire.sandbox';

/**
 * The `containers/create` body of one run: no network, a read-only root file system with a
 * small `noexec` tmpfs at `/tmp`, memory without swap, a CPU share, a process limit, a non-root
 * user without capabilities or a way to gain privileges, no host folders or devices and nothing
 * of the host's environment. The container is removed by the driver, not by Docker, so its
 * state can be read after it ends.
 */
export function containerSpec(
  settings: ContainerSettings,
  memoryBytes: number,
): ContainerCreateOptions {
  return {
    Image: settings.image,
    Cmd: ['python3', '-I', '-c', bootstrapSource],
    Entrypoint: [],
    Env: [],
    WorkingDir: '/tmp',
    User: settings.user,
    Labels: { [sandboxLabel]: '1' },
    NetworkDisabled: true,
    Tty: false,
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,nosuid,nodev,noexec,size=${settings.tmpfsBytes}` },
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(settings.cpus * 1e9),
      PidsLimit: settings.pidsLimit,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      Binds: [],
      Devices: [],
      AutoRemove: false,
    },
  };
}

/** True when `user` names root (`0`, `root`, `0:0`, or nothing, which is the image's default). */
export function isRootUser(user: string): boolean {
  const name = user.split(':')[0]?.trim() ?? '';
  return name === '' || name === '0' || name === 'root';
}
