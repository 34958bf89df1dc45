/**
 * Child process of embedded-job-queue-crash.test.ts: runs an embedded job queue on a SQLite
 * file whose handler for `crash.record` appends `<occurrence id> <pid>` to a log file and
 * fsyncs it (the handler's effect), then waits `handlerMs`. Prints `started` once the queue
 * runs. SIGTERM closes it; it stops by itself after two minutes, so a parent that forgets it
 * cannot leave it running.
 *
 * Usage: node --import tsx job-queue-worker.ts <database> <log> <concurrency> <leaseMs> <handlerMs>
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { sqliteStorage } from '../../storage/drivers/sqlite';
import { embeddedJobQueue } from '../embedded-job-queue';

const [path, logPath, concurrencyText = '16', leaseText = '2000', handlerText = '2'] =
  process.argv.slice(2);
if (!path || !logPath) {
  process.stderr.write(
    'usage: job-queue-worker.ts <database> <log> <concurrency> <leaseMs> <handlerMs>\n',
  );
  process.exit(2);
}
const handlerMs = Number(handlerText);

const storage = sqliteStorage({ path });
await storage.open();
const queue = embeddedJobQueue({
  storage,
  pollMs: 200,
  concurrency: Number(concurrencyText),
  leaseMs: Number(leaseText),
});
const log = openSync(logPath, 'a');
queue.process('crash.record', async (run) => {
  writeSync(log, `${run.occurrenceId} ${process.pid} ${run.attempt}\n`);
  fsyncSync(log);
  if (handlerMs > 0) await new Promise((resolve) => setTimeout(resolve, handlerMs));
});
await queue.start();
process.stdout.write('started\n');

const stop = async () => {
  await queue.close();
  await storage.close();
  closeSync(log);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
setTimeout(() => void stop(), 120_000);
