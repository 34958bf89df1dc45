/**
 * Start-up time of the assistant example, as a person running it would see it:
 *
 * - `node -e 0`: the bare cost of a Node process on this machine, which the other figures are
 *   read against (the machine is shared, so its load moves every figure);
 * - `start`: from spawning `node packages/cli/dist/bin.js start --config
 *   examples/assistant/botwire.config.ts` (stdin a pipe, not a TTY; a free port through `PORT`;
 *   a temporary data directory through `BOTWIRE_DATA_DIR`) until `GET /health` answers 200. The
 *   first run is cold, as after an install or a rebuild: an empty data directory (the database
 *   is created) and no skill cache (`node_modules/.cache/botwire` of the example is removed
 *   first, so every manifest is validated and every skill module imported and checked); the
 *   others reuse both, as every later start of a bot does;
 * - `chat`: `echo /help | node packages/cli/dist/bin.js chat --config ...` until it exits.
 *
 * Prints the median of BENCH_RUNS runs (default 7) of each, with the minimum and maximum, and the
 * machine's load average. Asserts nothing beyond each run having worked.
 *
 *   pnpm bench:startup          (builds stale packages first)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../packages/core/dist/testing/index.js';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/cli/dist/bin.js');
const config = join(root, 'examples/assistant/botwire.config.ts');
const healthTimeoutMs = 60_000;
/** Where the example's skill cache lives (see defaultSkillCacheDir in core). */
const skillCache = join(root, 'examples/assistant/node_modules/.cache/botwire');

/** The environment of every run: no Telegram (the example adds it when a token is set), no model. */
function runEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['TELEGRAM_BOT_TOKEN', 'BOTWIRE_MODEL', 'BOTWIRE_API_TOKEN', 'HOST'])
    delete env[name];
  return env;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}

/** Everything a child process prints, stdout and stderr together, so far. */
function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const add = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => output;
}

/** Wall time of one process from spawn to exit, in milliseconds; throws when it fails. */
async function timeProcess(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; expect?: string } = {},
): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  child.stdin?.end(options.input ?? '');
  const code = await exited(child);
  const elapsed = performance.now() - started;
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}:\n${output()}`);
  if (options.expect && !output().includes(options.expect))
    throw new Error(`${args.join(' ')} did not print "${options.expect}":\n${output()}`);
  return elapsed;
}

/** CPU time of a Node process that does nothing but report its own CPU time. */
async function cpuOfEmptyNode(): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000))',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await exited(child);
  return Number(output);
}

async function healthAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

const clockTicksPerSecond = 100;

/** CPU time (user and system, every thread) a running process has used so far, from /proc. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/**
 * From spawning `start` until `/health` answers 200: the wall time, and the CPU time the process
 * used (less sensitive to the machine's load). Then stops the bot with SIGTERM.
 */
async function timeStart(dataDir: string): Promise<{ wallMs: number; cpuMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'start', '--config', config], {
    cwd: root,
    env: runEnvironment({ PORT: String(port), BOTWIRE_DATA_DIR: dataDir }),
    // stdin stays an open pipe (not a TTY), so the console adapter waits instead of ending.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  const url = `http://127.0.0.1:${port}/health`;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`start exited with ${child.exitCode ?? child.signalCode}:\n${output()}`);
      if (performance.now() - started > healthTimeoutMs)
        throw new Error(`/health did not answer within ${healthTimeoutMs} ms:\n${output()}`);
      if (await healthAnswers(url)) {
        const wallMs = performance.now() - started;
        return { wallMs, cpuMs: cpuMsOf(child.pid) };
      }
      await new Promise((wait) => setTimeout(wait, 5));
    }
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  }
}

interface Figures {
  median: number;
  min: number;
  max: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

const show = (label: string, value: Figures) =>
  console.log(
    `${label.padEnd(46)} median ${value.median.toFixed(0).padStart(5)} ms   (min ${value.min.toFixed(0)}, max ${value.max.toFixed(0)})`,
  );

async function main(): Promise<void> {
  const load = () =>
    loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
  console.log(`startup bench: ${runs} runs each; load average before: ${load()}`);

  const baseline: number[] = [];
  for (let run = 0; run < runs; run += 1) baseline.push(await timeProcess(['-e', '0']));
  const baselineCpu: number[] = [];
  for (let run = 0; run < runs; run += 1) baselineCpu.push(await cpuOfEmptyNode());

  const dataDir = mkdtempSync(join(tmpdir(), 'botwire-startup-bench-'));
  const chatDataDir = mkdtempSync(join(tmpdir(), 'botwire-startup-bench-chat-'));
  try {
    rmSync(skillCache, { recursive: true, force: true });
    const cold = await timeStart(dataDir);
    const warm: { wallMs: number; cpuMs: number }[] = [];
    for (let run = 0; run < runs; run += 1) warm.push(await timeStart(dataDir));

    const chat: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      chat.push(
        await timeProcess([bin, 'chat', '--config', config], {
          input: '/help\n',
          env: runEnvironment({ BOTWIRE_DATA_DIR: chatDataDir, PORT: '0' }),
          expect: '/help',
        }),
      );
    }

    console.log('');
    show('node -e 0', figures(baseline));
    show('start → /health 200, cold (no cache, no data)', figures([cold.wallMs]));
    show('start → /health 200', figures(warm.map((run) => run.wallMs)));
    show('echo /help | chat (until exit)', figures(chat));
    console.log('\nCPU time (user + system) used by the process:');
    show('node (empty script, until exit)', figures(baselineCpu));
    show('start, until /health 200, cold', figures([cold.cpuMs]));
    show('start, until /health 200', figures(warm.map((run) => run.cpuMs)));
    console.log(`\nload average after: ${load()}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(chatDataDir, { recursive: true, force: true });
  }
}

await main();
