import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerContainerConfig } from './peer-command';

/** The cgroups (v1) of one peer container: one folder per controller the host lets it use. */
export interface PeerCgroups {
  /** Folders whose `cgroup.procs` the container's first process joins. */
  folders: string[];
  /** True when Memory is applied by the memory controller (the OOM killer), not an rlimit. */
  memory: boolean;
  /** True when PidsLimit is applied by the pids controller, not an rlimit. */
  pids: boolean;
  /** True when CPU time is capped (NanoCpus, by the cpu controller). */
  cpu: boolean;
  /** True when the kernel's OOM killer killed a process of the container (`memory.oom_control`). */
  oomKilled(): boolean;
  /** Removes the folders (once the processes are gone). */
  remove(): void;
}

function removeFolder(folder: string): boolean {
  try {
    rmdirSync(folder);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Where this process's cgroup of `controller` is, when it is a cgroup v1 hierarchy. */
function ownFolder(controller: string): string | undefined {
  try {
    const mount = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' - '))
      .find(([, tail]) => {
        const [type, , options = ''] = (tail ?? '').split(' ');
        return type === 'cgroup' && options.split(',').includes(controller);
      });
    const point = mount?.[0]?.split(' ')[4];
    const path = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find(([, controllers]) => (controllers ?? '').split(',').includes(controller))?.[2];
    return point && path !== undefined ? join(point, path) : undefined;
  } catch {
    return undefined;
  }
}

/** Makes `<own cgroup>/botwire-peer-<id>` and writes `settings` into it; undefined when refused. */
function makeFolder(
  controller: string,
  id: string,
  settings: [string, string][],
): string | undefined {
  const parent = ownFolder(controller);
  if (!parent) return undefined;
  const folder = join(parent, `botwire-peer-${id.slice(0, 16)}`);
  try {
    mkdirSync(folder);
  } catch {
    return undefined;
  }
  try {
    for (const [file, value] of settings) writeFileSync(join(folder, file), value);
    return folder;
  } catch {
    rmdirSync(folder);
    return undefined;
  }
}

/**
 * Gives a container the cgroups Docker would: `memory` (limit, and memory plus swap at
 * MemorySwap), `pids` (PidsLimit) and `cpu` (NanoCpus as a CFS quota), each only where the host
 * has a writable cgroup v1 hierarchy for it (and `enabled`). The peer falls back to rlimits for memory and
 * processes where it has not, and then never reports OOMKilled.
 */
export function createPeerCgroups(
  enabled: boolean,
  id: string,
  config: PeerContainerConfig,
): PeerCgroups {
  const host = enabled ? (config.HostConfig ?? {}) : {};
  const folders: string[] = [];
  const memoryBytes = host.Memory ?? 0;
  const memory =
    memoryBytes > 0
      ? makeFolder('memory', id, [
          ['memory.limit_in_bytes', String(memoryBytes)],
          ['memory.memsw.limit_in_bytes', String(Math.max(host.MemorySwap ?? 0, memoryBytes))],
        ])
      : undefined;
  const pids =
    (host.PidsLimit ?? 0) > 0
      ? makeFolder('pids', id, [['pids.max', String(host.PidsLimit)]])
      : undefined;
  const period = 100_000;
  const cpu =
    (host.NanoCpus ?? 0) > 0
      ? makeFolder('cpu', id, [
          ['cpu.cfs_period_us', String(period)],
          [
            'cpu.cfs_quota_us',
            String(Math.max(1000, Math.round(((host.NanoCpus ?? 0) / 1e9) * period))),
          ],
        ])
      : undefined;
  for (const folder of [memory, pids, cpu]) if (folder) folders.push(folder);
  return {
    folders,
    memory: Boolean(memory),
    pids: Boolean(pids),
    cpu: Boolean(cpu),
    oomKilled() {
      if (!memory) return false;
      try {
        const control = readFileSync(join(memory, 'memory.oom_control'), 'utf8');
        return Number(/oom_kill (\d+)/.exec(control)?.[1] ?? 0) > 0;
      } catch {
        return false;
      }
    },
    remove() {
      const left = folders.filter((folder) => !removeFolder(folder));
      // A cgroup is busy until its last process is reaped: try once more a moment later.
      if (left.length) setTimeout(() => left.forEach(removeFolder), 1000).unref();
    },
  };
}
