import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether the Docker Engine API peer can run containers on this machine. */
export interface DockerPeerSupport {
  available: boolean;
  /** The host Python that runs the containers' `python3`. */
  python?: string;
  /** Why it cannot (empty when it can). */
  reason: string;
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const onPath = (name: string) =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((folder) => join(folder, name))
    .find(executable);

/** A Python a non-root user may run: the system's, not a per-user install under a private home. */
function findPython(python?: string): string | undefined {
  const chosen = python ?? process.env.BOTWIRE_PEER_PYTHON;
  if (chosen) return chosen;
  return ['/usr/bin/python3', '/usr/local/bin/python3'].find(executable) ?? onPath('python3');
}

const cache = new Map<string, DockerPeerSupport>();

/**
 * Checks, once per Python, that the peer can run a container here: Linux, `unshare`, `mount`,
 * `prlimit` and `setpriv` (util-linux), the right to create mount, network and PID namespaces
 * and mount a tmpfs (root, in practice), and a Python that uid 65534 may run (set
 * `BOTWIRE_PEER_PYTHON` to choose one). It runs a tiny container to find out.
 */
export function checkDockerPeerSupport(python?: string): DockerPeerSupport {
  const key = python ?? '';
  const known = cache.get(key);
  if (known) return known;
  const answer = probe(findPython(python));
  cache.set(key, answer);
  return answer;
}

function probe(python: string | undefined): DockerPeerSupport {
  if (process.platform !== 'linux')
    return { available: false, reason: `it needs Linux namespaces; this is ${process.platform}` };
  for (const tool of ['unshare', 'mount', 'prlimit', 'setpriv'])
    if (!onPath(tool))
      return {
        available: false,
        reason: `${tool} is missing; install util-linux (apt-get install -y util-linux mount)`,
      };
  if (!python)
    return { available: false, reason: 'no python3 was found; set BOTWIRE_PEER_PYTHON to one' };
  const result = spawnSync(
    'unshare',
    [
      '--mount',
      '--net',
      '--pid',
      '--fork',
      '--kill-child',
      '--mount-proc',
      '--',
      '/bin/sh',
      '-c',
      // Through `env`, as containers start: setpriv may still hold capabilities when it execs.
      'mount -t tmpfs -o size=1m tmpfs /tmp && exec setpriv --reuid=65534 --regid=65534 --clear-groups -- env -i "$0" -I -c "print(6 * 7)"',
      python,
    ],
    { encoding: 'utf8', timeout: 15_000 },
  );
  if (result.status === 0 && result.stdout.trim() === '42')
    return { available: true, python, reason: '' };
  const said = `${result.stderr ?? ''}${result.error ? result.error.message : ''}`.trim();
  return {
    available: false,
    python,
    reason: `running a namespaced ${python} as uid 65534 failed (it needs root, or the right to unshare mount, network and PID namespaces and mount a tmpfs, and a Python that uid 65534 may read): ${said || `exit status ${result.status}`}`,
  };
}
