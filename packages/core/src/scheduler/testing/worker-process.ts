import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Waits until `check` holds, polling every 20 ms; throws after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The first word of each line of a log file (an occurrence, a reminder), in order. */
export function firstWords(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' ')[0]!);
}

/**
 * Runs a TypeScript script in a child process (`node --import tsx`) and resolves once it prints
 * `started`; fails with its standard error if it exits first. The child goes into `children`,
 * for the test's clean-up to kill.
 */
export async function startWorker(
  script: string,
  args: string[],
  options: { cwd: string; children: ChildProcess[]; timeoutMs?: number },
): Promise<{ child: ChildProcess; errors(): string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.children.push(child);
  let output = '';
  let errors = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  await until(
    `${script} to start`,
    () => {
      if (child.exitCode !== null) throw new Error(`The worker exited: ${errors}`);
      return output.includes('started');
    },
    options.timeoutMs ?? 60_000,
  );
  return { child, errors: () => errors };
}

/** Kills (SIGKILL) every child still running and empties the list: a test's clean-up. */
export function killWorkers(children: ChildProcess[]): void {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
