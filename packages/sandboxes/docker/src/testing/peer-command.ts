import type { PeerCgroups } from './peer-cgroups';

/** The part of a `containers/create` body the peer acts on. */
export interface PeerContainerConfig {
  Image?: string;
  Cmd?: string[] | string;
  Entrypoint?: string[] | string | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Tty?: boolean;
  NetworkDisabled?: boolean;
  Labels?: Record<string, string>;
  HostConfig?: {
    NetworkMode?: string;
    ReadonlyRootfs?: boolean;
    Tmpfs?: Record<string, string>;
    Memory?: number;
    MemorySwap?: number;
    NanoCpus?: number;
    PidsLimit?: number | null;
    CapDrop?: string[] | null;
    SecurityOpt?: string[] | null;
    Privileged?: boolean;
    Binds?: string[] | null;
    Mounts?: unknown[] | null;
    Devices?: unknown[] | null;
    AutoRemove?: boolean;
  };
}

/** An Engine API error the peer answers with (status and Docker's `{message}` body). */
export class PeerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const list = (value: string[] | string | null | undefined): string[] =>
  value == null ? [] : Array.isArray(value) ? value : [value];

/**
 * Refuses, as a 400 at create, the settings the peer cannot apply honestly: a network (it only
 * runs containers cut off from every network), privileged mode, host folders, devices and a TTY.
 */
export function checkPeerConfig(config: PeerContainerConfig): void {
  const host = config.HostConfig ?? {};
  if (!config.NetworkDisabled && host.NetworkMode !== 'none')
    throw new PeerError(400, 'the Engine API peer runs containers only with NetworkMode "none"');
  if (host.Privileged)
    throw new PeerError(400, 'the Engine API peer does not run privileged containers');
  if ((host.Binds ?? []).length || (host.Mounts ?? []).length)
    throw new PeerError(400, 'the Engine API peer does not mount host folders (Binds, Mounts)');
  if ((host.Devices ?? []).length)
    throw new PeerError(400, 'the Engine API peer does not pass devices');
  if (config.Tty) throw new PeerError(400, 'the Engine API peer does not allocate a TTY');
  if (list(config.Entrypoint).length + list(config.Cmd).length === 0)
    throw new PeerError(400, 'no command specified');
}

/** The program and environment that start a container's process. */
export interface PeerCommand {
  file: string;
  args: string[];
  /** The environment of the setup script only; the container's process gets `env -i` plus `Env`. */
  env: Record<string, string>;
}

/**
 * The setup run inside the new namespaces, before the container's command: it joins the
 * container's cgroups, makes every mount read-only when ReadonlyRootfs (in this mount namespace
 * only), mounts each tmpfs with its options, then goes to the working dir.
 */
const setupScript = `set -e
# Not in a pipeline: "0" moves the writing process, which must be this shell, not a subshell.
while read -r folder; do
  if [ -n "$folder" ]; then echo 0 > "$folder/cgroup.procs"; fi
done <<PEER_CGROUPS_END
$PEER_CGROUPS
PEER_CGROUPS_END
if [ "$PEER_READONLY" = 1 ]; then
  while read -r _id _parent _device _root point _rest; do
    mount -o remount,bind,ro "$(printf '%b' "$point")" 2>/dev/null || true
  done < /proc/self/mountinfo
fi
if [ -n "$PEER_TMPFS" ]; then
  printf '%s\\n' "$PEER_TMPFS" | while IFS="$(printf '\\t')" read -r path options; do
    mount -t tmpfs -o "$options" tmpfs "$path"
  done
fi
mkdir -p "$PEER_WORKDIR" 2>/dev/null || true
cd "$PEER_WORKDIR"
exec "$@"
`;

function numericUser(user: string): { uid: string; gid: string } | undefined {
  if (user.trim() === '') return undefined;
  const [uid = '', gid = uid] = user.split(':');
  if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid))
    throw new PeerError(
      500,
      `unable to find user ${user}: the Engine API peer takes numeric uid:gid only`,
    );
  return { uid, gid };
}

/**
 * How the peer runs a container: `unshare` gives it its own mount, network (no interface up, not
 * even loopback) and PID namespaces with a fresh /proc; the setup script joins its cgroups
 * (memory, pids, cpu: see `createPeerCgroups`), mounts its tmpfs and makes the rest read-only;
 * where there is no cgroup, `prlimit` applies Memory (as address space) and PidsLimit (as
 * processes of its uid); `setpriv` switches to User, drops every capability and sets
 * no-new-privileges; `env -i` leaves only `Env`. `python3` in the command is the host's Python.
 */
export function peerCommand(
  config: PeerContainerConfig,
  python: string,
  cgroups: Pick<PeerCgroups, 'folders' | 'memory' | 'pids'> = {
    folders: [],
    memory: false,
    pids: false,
  },
): PeerCommand {
  const host = config.HostConfig ?? {};
  const command = [...list(config.Entrypoint), ...list(config.Cmd)].map((part, index) =>
    index === 0 && (part === 'python3' || part === 'python') ? python : part,
  );
  const limits: string[] = [];
  if (!cgroups.memory && host.Memory && host.Memory > 0) limits.push(`--as=${host.Memory}`);
  if (!cgroups.pids && host.PidsLimit && host.PidsLimit > 0)
    limits.push(`--nproc=${host.PidsLimit}`);
  const user = numericUser(config.User ?? '');
  const privileges: string[] = [];
  if (user) privileges.push(`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups');
  if ((host.SecurityOpt ?? []).includes('no-new-privileges')) privileges.push('--no-new-privs');
  if ((host.CapDrop ?? []).map((name) => name.toUpperCase()).includes('ALL'))
    privileges.push('--inh-caps=-all', '--bounding-set=-all');
  const inner = [
    ...(limits.length ? ['prlimit', ...limits, '--'] : []),
    ...(privileges.length ? ['setpriv', ...privileges, '--'] : []),
    'env',
    '-i',
    ...(config.Env ?? []),
    ...command,
  ];
  const tmpfs = Object.entries(host.Tmpfs ?? {}).map(
    ([path, options]) => `${path}\t${['mode=1777', options].filter(Boolean).join(',')}`,
  );
  return {
    file: 'unshare',
    args: [
      '--mount',
      '--net',
      '--pid',
      '--fork',
      '--kill-child',
      '--mount-proc',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
      '-c',
      setupScript,
      'botwire-peer-setup',
      ...inner,
    ],
    env: {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      PEER_CGROUPS: cgroups.folders.join('\n'),
      PEER_READONLY: host.ReadonlyRootfs ? '1' : '0',
      PEER_TMPFS: tmpfs.join('\n'),
      PEER_WORKDIR: config.WorkingDir || '/',
    },
  };
}
