import { Command, InvalidArgumentError } from 'commander';
import type { CheckResult } from '../doctor/doctor-check';
import type { DoctorReport } from '../doctor/run-doctor';
import { print } from '../output';

const label = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/** The report as a person reads it: one line per check, its fix under it, a verdict last. */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const lines = report.checks.flatMap((check: CheckResult) => [
    `  ${label[check.status]}  ${check.name.padEnd(width)}  ${check.message}`,
    ...(check.fix && check.status !== 'ok'
      ? [`        ${' '.repeat(width)}  fix: ${check.fix}`]
      : []),
  ]);
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  const warned = report.checks.filter((check) => check.status === 'warn').length;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict =
    failed > 0
      ? `${count(failed, 'required check')} failed, ${count(warned, 'warning')}: fix the FAIL lines, then run botwire doctor again.`
      : warned > 0
        ? `Ready, with ${count(warned, 'warning')} about optional parts.`
        : 'Ready.';
  return [...lines, '', verdict].join('\n');
}

const positive = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new InvalidArgumentError('a whole number of milliseconds, such as 5000');
  }
  return number;
};

/** `botwire doctor [--config F] [--json] [--timeout MS]`: checks what the bot needs on this machine; its code loads when it runs. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'check Node.js, pnpm, the data folder, the port, Chromium, poppler, the model, the engines (MongoDB, Redis, Qdrant) and adapter tokens',
    )
    .option(
      '-c, --config <file>',
      'the bot config (default: botwire.config.ts|js|json in this folder)',
    )
    .option('--json', 'print the results as JSON, for scripts')
    .option('--timeout <ms>', 'time limit of each network check', positive, 5000)
    .action(async (options: { config?: string; json?: boolean; timeout: number }) => {
      // The checks (and the runtime they read configs with) load when the command runs.
      const { runDoctor } = await import('../doctor/run-doctor');
      const report = await runDoctor({
        ...(options.config ? { configPath: options.config } : {}),
        timeoutMs: options.timeout,
      });
      print(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
      process.exitCode = report.ok ? 0 : 1;
    });
}
