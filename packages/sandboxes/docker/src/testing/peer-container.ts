import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Duplex } from 'node:stream';
import { createPeerCgroups, type PeerCgroups } from './peer-cgroups';
import { type PeerContainerConfig, PeerError, peerCommand } from './peer-command';

type Status = 'created' | 'running' | 'exited';

/** The processes whose parent is `pid`, from /proc (`task/<pid>/children` is often missing). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) found.push(Number(entry));
    } catch {
      // it ended meanwhile
    }
  }
  return found;
}

/** One frame of Docker's multiplexed stream: stream type, three zero bytes, length, payload. */
function frame(type: 1 | 2, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/**
 * A container of the peer: its create body, its state as inspect shows it, and the process that
 * runs it (see {@link peerCommand}). Attached streams get its stdout and stderr as multiplexed
 * frames and feed its stdin; everything reported comes from the process itself.
 */
export class PeerContainer {
  readonly id = randomBytes(32).toString('hex');
  readonly created = new Date().toISOString();
  private status: Status = 'created';
  private exitCode = 0;
  private oomKilled = false;
  private cgroups: PeerCgroups | undefined;
  private pid = 0;
  private error = '';
  private startedAt = '0001-01-01T00:00:00Z';
  private finishedAt = '0001-01-01T00:00:00Z';
  private child: ChildProcess | undefined;
  private readonly attached = new Set<Duplex>();
  private readonly pendingStdin: Buffer[] = [];
  private stdinEnded = false;
  private readonly exitWaiters: (() => void)[] = [];

  constructor(
    readonly config: PeerContainerConfig,
    private readonly python: string,
    private readonly useCgroups = true,
  ) {}

  /** True between start and exit. */
  get running(): boolean {
    return this.status === 'running';
  }

  /** Hands `socket` (already upgraded) the container's output, and its input to the container's stdin. */
  attach(socket: Duplex, options: { stdin: boolean; stdout: boolean; stderr: boolean }): void {
    if (options.stdout || options.stderr) {
      this.attached.add(socket);
      socket.once('close', () => this.attached.delete(socket));
    }
    if (options.stdin && this.config.OpenStdin) {
      socket.on('data', (chunk: Buffer) => this.writeStdin(chunk));
      socket.once('end', () => {
        if (this.config.StdinOnce) this.endStdin();
      });
    }
    if (this.status === 'exited') socket.end();
  }

  /** Feeds the process's stdin; what comes before start is kept for it. */
  writeStdin(chunk: Buffer): void {
    if (this.stdinEnded) return;
    if (this.child?.stdin) this.child.stdin.write(chunk);
    else this.pendingStdin.push(chunk);
  }

  private endStdin(): void {
    this.stdinEnded = true;
    this.child?.stdin?.end();
  }

  /** Starts the process; a command that cannot be set up fails as Docker's start does (500). */
  start(): void {
    if (this.status === 'running') return;
    this.cgroups = createPeerCgroups(this.useCgroups, this.id, this.config);
    let command: ReturnType<typeof peerCommand>;
    try {
      command = peerCommand(this.config, this.python, this.cgroups);
    } catch (error) {
      this.cgroups.remove();
      throw error;
    }
    const child = spawn(command.file, command.args, {
      env: command.env,
      stdio: [this.config.OpenStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      // Its own process group, so a kill reaches every process that stays in it.
      detached: true,
    });
    this.child = child;
    this.status = 'running';
    this.pid = child.pid ?? 0;
    this.startedAt = new Date().toISOString();
    child.stdin?.on('error', () => undefined);
    for (const chunk of this.pendingStdin.splice(0)) child.stdin?.write(chunk);
    if (this.stdinEnded) child.stdin?.end();
    child.stdout?.on('data', (chunk: Buffer) => this.send(1, chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.send(2, chunk));
    child.once('error', (error) => {
      this.error = error.message;
      this.finish(127);
    });
    // 'close' comes once the process ended and its output was read to the end.
    child.once('close', (code, signal) => {
      this.finish(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  }

  private send(type: 1 | 2, chunk: Buffer): void {
    const data = frame(type, chunk);
    for (const socket of this.attached) socket.write(data);
  }

  private finish(exitCode: number): void {
    if (this.status !== 'running') return;
    this.status = 'exited';
    this.exitCode = exitCode;
    this.oomKilled = this.cgroups?.oomKilled() ?? false;
    this.cgroups?.remove();
    this.pid = 0;
    this.finishedAt = new Date().toISOString();
    for (const socket of this.attached) socket.end();
    for (const wake of this.exitWaiters.splice(0)) wake();
  }

  /**
   * Sends `signal` to the container's first process (the namespace's init), as Docker does; as
   * PID 1 it only gets the signals it handles, except SIGKILL (`unshare --kill-child` cannot be
   * relied on for it: the parent-death signal is cleared when `setpriv` switches the user).
   */
  kill(signal = 'SIGKILL'): void {
    const child = this.child;
    if (this.status !== 'running' || !child?.pid)
      throw new PeerError(409, `Container ${this.id} is not running`);
    const name = (signal.startsWith('SIG') ? signal : `SIG${signal}`) as NodeJS.Signals;
    if (!(name in constants.signals)) throw new PeerError(400, `Invalid signal: ${signal}`);
    if (name === 'SIGKILL') {
      this.killAll();
      return;
    }
    process.kill(childrenOf(child.pid)[0] ?? child.pid, name);
  }

  /**
   * Kills the namespace's init, which ends every process in the namespace and lets `unshare`
   * reap it and exit; the process group and `unshare` itself get SIGKILL too if it has not ended
   * a second later (or no init was found).
   */
  private killAll(): void {
    const pid = this.child?.pid;
    if (!pid) return;
    const signal = (target: number) => {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const inits = childrenOf(pid);
    for (const init of inits) signal(init);
    const rest = () => {
      if (this.status !== 'running') return;
      signal(-pid);
      signal(pid);
    };
    if (inits.length === 0) rest();
    else setTimeout(rest, 1000).unref();
  }

  /** Resolves with the exit code: at once when not running (`not-running`), or at the next exit (`next-exit`). */
  async wait(condition = 'not-running'): Promise<number> {
    if (condition !== 'next-exit' && this.status !== 'running') return this.exitCode;
    await new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    return this.exitCode;
  }

  /** Ends the process (SIGKILL) and its streams before the container is forgotten. */
  async remove(): Promise<void> {
    if (this.status === 'running') {
      this.killAll();
      await this.wait();
    }
    for (const socket of this.attached) socket.destroy();
  }

  /**
   * The inspect answer. OOMKilled is what the container's memory cgroup counted; without one
   * (memory then limited by an address-space rlimit, under which Python raises MemoryError
   * itself) it stays false.
   */
  inspect(): Record<string, unknown> {
    const command = [
      ...[this.config.Entrypoint ?? []].flat(),
      ...[this.config.Cmd ?? []].flat(),
    ] as string[];
    return {
      Id: this.id,
      Created: this.created,
      Path: command[0] ?? '',
      Args: command.slice(1),
      State: {
        Status: this.status,
        Running: this.status === 'running',
        Paused: false,
        Restarting: false,
        OOMKilled: this.oomKilled,
        Dead: false,
        Pid: this.pid,
        ExitCode: this.exitCode,
        Error: this.error,
        StartedAt: this.startedAt,
        FinishedAt: this.finishedAt,
      },
      Image: this.config.Image,
      Name: `/${this.id.slice(0, 12)}`,
      Config: { ...this.config, HostConfig: undefined },
      HostConfig: this.config.HostConfig ?? {},
    };
  }
}
