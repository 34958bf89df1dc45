import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { BotwireError, isBotwireError } from '../../errors/botwire-error';
import { invalidArgument } from '../check-storage-arguments';
import { migrateSqliteSchema } from './sqlite-schema';
import { prepareSqliteStatements, type SqliteStatements } from './sqlite-statements';

type Database = BetterSqlite3.Database;

/** What {@link sqliteConnection} needs of the sqlite driver's options. */
export interface SqliteConnectionOptions {
  /** The database file; missing parent directories are created. */
  path: string;
  /** The better-sqlite3 constructor; loaded with `import('better-sqlite3')` when omitted. */
  Database?: typeof BetterSqlite3;
}

/** The open database of a sqlite storage, and what its stores run their work through. */
export interface SqliteConnection {
  /** Opens the file, applies the pragmas and migrations, prepares statements. Safe to call twice. */
  open(): Promise<void>;
  /** Closes the database; later calls to `use` fail with BOTWIRE_STORAGE_CLOSED. */
  close(): Promise<void>;
  /**
   * Runs work on `table` that reads (and rarely writes) on the open database: at once when no
   * write to that table is waiting for the group commit, else queued behind the waiting
   * writes, so that it sees them. Turns driver errors into BotwireErrors.
   */
  use<T>(table: SqliteTable, work: Work<T>): Promise<T>;
  /** Queues work that writes `table` for the next group commit; resolves once that is committed. */
  write<T>(table: SqliteTable, work: Work<T>): Promise<T>;
  /**
   * Runs the group commit now, if work is waiting for one. This commit never checkpoints the
   * WAL (the next scheduled group commit does): it ends with its write to the WAL, so that the
   * step it runs in (the write of a request whose note it commits) stays as short as it can.
   */
  flush(): void;
  /** Deletes expired key-value entries, at most once a minute. */
  sweep(s: SqliteStatements, now: number): void;
}

/**
 * The part of the database a piece of work touches: users (with their identities), chats,
 * messages or the key-value store. A read waits for the group commit only when a write to its
 * own part is waiting.
 */
export type SqliteTable = 'users' | 'chats' | 'messages' | 'kv';

/** Work on the open database, given its prepared statements. */
export type Work<T> = (s: SqliteStatements, database: Database) => T;

interface QueuedWork {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const busyTimeoutMs = 5_000;
const sweepIntervalMs = 60_000;

async function loadDatabase(): Promise<typeof BetterSqlite3> {
  try {
    const loaded = (await import('better-sqlite3')) as { default?: typeof BetterSqlite3 };
    return loaded.default ?? (loaded as unknown as typeof BetterSqlite3);
  } catch (error) {
    throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
      message: 'better-sqlite3 could not be loaded.',
      hint: 'Install it with `pnpm add better-sqlite3`, or pass the constructor as the Database option.',
      cause: error,
    });
  }
}

/**
 * The lifecycle of the database of one sqlite storage driver: opening it (WAL journal,
 * busy timeout, foreign keys, migrations), running work on it with errors made into
 * BotwireErrors, sweeping expired key-value entries, and closing it.
 *
 * Writes are committed in groups. A write is queued; at the end of the turn of the event loop
 * (`setImmediate`) every queued piece of work runs, in the order it was called, in one
 * transaction (a failed piece is undone alone), and one commit (one fsync) makes all of them
 * durable:
 * the writes of every chat that wrote in that turn. A promise resolves only after the commit
 * that made its write durable, so an acknowledged write is as durable as before; when the
 * commit fails, everything in the group rejects. A read runs at once unless writes to its
 * table are waiting: then it joins the queue, sees them, and resolves after their commit (a
 * user looked up while history is being written does not wait for it). The write lock
 * is held only while the queue runs, never across a turn of the event loop.
 */
export function sqliteConnection(
  options: SqliteConnectionOptions,
  synchronous: 'full' | 'normal',
): SqliteConnection {
  const path = options.path;
  let db: Database | undefined;
  let statements: SqliteStatements | undefined;
  let opening: Promise<void> | undefined;
  let closed = false;
  let lastSweep = 0;
  let queue: QueuedWork[] = [];
  /** The tables that queued work writes (or may write); emptied by each group commit. */
  const waiting = new Set<SqliteTable>();
  let scheduled = false;
  /** SQLite's automatic checkpoint threshold (WAL pages), read at open; 1000 by default. */
  let autoCheckpointPages = 1000;
  /** The threshold set on the connection now: 0 after an explicit commit turned it off. */
  let autoCheckpointSet = 1000;
  /** Runs a function in a savepoint when a transaction is open (better-sqlite3 nests them). */
  let inSavepoint: ((run: () => unknown) => unknown) | undefined;

  const translate = (error: unknown): unknown => {
    if (isBotwireError(error)) return error;
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      return invalidArgument('The chat or user this refers to does not exist.', error);
    }
    return new BotwireError('BOTWIRE_STORAGE_FAILED', {
      message: `The sqlite storage ${path} failed: ${(error as Error).message}`,
      details: typeof code === 'string' ? { sqliteCode: code } : {},
      cause: error,
    });
  };

  const checkOpen = (): void => {
    if (statements && db) return;
    throw new BotwireError('BOTWIRE_STORAGE_CLOSED', {
      message: closed
        ? `The sqlite storage ${path} was used after close().`
        : `The sqlite storage ${path} is not open. Call open() before using it.`,
    });
  };

  type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

  /**
   * Runs a batch in one transaction. Without `isolated`, the first failure stops it and
   * returns undefined (the caller rolls back); with it, each piece runs in its own savepoint,
   * so a failure undoes only that piece.
   */
  const runBatch = (
    batch: QueuedWork[],
    database: Database,
    s: SqliteStatements,
    savepoint: ((run: () => unknown) => unknown) | undefined,
  ): Outcome[] | undefined => {
    const outcomes: Outcome[] = [];
    for (const item of batch) {
      try {
        const value = savepoint ? savepoint(() => item.work(s, database)) : item.work(s, database);
        outcomes.push({ ok: true, value });
      } catch (error) {
        if (!savepoint) return undefined;
        // SQLite rolls the whole transaction back after some errors (a full disk, I/O).
        if (!database.inTransaction) throw error;
        outcomes.push({ ok: false, error: translate(error) });
      }
    }
    return outcomes;
  };

  /**
   * Runs every queued piece of work in one transaction, then settles their promises. The
   * batch runs first without a savepoint per piece (two statements less for each); when a
   * piece fails, the transaction is rolled back and the batch runs again with savepoints, so
   * that only the failed piece is rejected. The pieces are pure work on the database, so
   * running them again after the rollback is safe.
   *
   * `checkpoint: false` (an explicit {@link SqliteConnection.flush}) turns SQLite's automatic
   * checkpoint off for this commit: a checkpoint copies the WAL into the database file with
   * fsyncs, milliseconds on a busy disk, after the commit is already in the WAL. Run inside the
   * step that sends a message, a kill in those milliseconds would keep the note that the
   * message left without the message. The next scheduled group commit turns it on again, and
   * checkpoints.
   */
  const commit = (checkpoint: boolean): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    waiting.clear();
    if (batch.length === 0) return;
    const database = db;
    const s = statements;
    if (!database || !s || !inSavepoint) {
      const error = translate(new Error('the database was closed with writes waiting'));
      for (const item of batch) item.reject(error);
      return;
    }
    let outcomes: Outcome[] | undefined;
    try {
      database.exec('BEGIN IMMEDIATE');
      outcomes = runBatch(batch, database, s, undefined);
      if (!outcomes) {
        database.exec('ROLLBACK');
        database.exec('BEGIN IMMEDIATE');
        outcomes = runBatch(batch, database, s, inSavepoint);
      }
      // Set before the COMMIT, never after it: nothing may run between an explicit commit's
      // write to the WAL and the caller's send.
      const pages = checkpoint ? autoCheckpointPages : 0;
      if (pages !== autoCheckpointSet) {
        database.pragma(`wal_autocheckpoint = ${pages}`);
        autoCheckpointSet = pages;
      }
      database.exec('COMMIT');
    } catch (error) {
      try {
        if (database.inTransaction) database.exec('ROLLBACK');
      } catch {
        // Nothing more can be undone when the rollback fails too.
      }
      const failure = translate(error);
      for (const item of batch) item.reject(failure);
      return;
    }
    const settled = outcomes ?? [];
    batch.forEach((item, index) => {
      const outcome = settled[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  };

  const scheduledCommit = () => commit(true);

  // A closed database rejects the promise (thrown in the executor), never throws at the call.
  const enqueue = <T>(table: SqliteTable, work: Work<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      checkOpen();
      waiting.add(table);
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (scheduled) return;
      scheduled = true;
      setImmediate(scheduledCommit);
    });

  const use = async <T>(table: SqliteTable, work: Work<T>): Promise<T> => {
    if (waiting.has(table)) return enqueue(table, work);
    checkOpen();
    try {
      return work(statements!, db!);
    } catch (error) {
      throw translate(error);
    }
  };

  const sweep = (s: SqliteStatements, now: number): void => {
    if (now - lastSweep < sweepIntervalMs) return;
    lastSweep = now;
    s.kvSweep.run({ now });
  };

  const openDatabase = async (): Promise<void> => {
    const DatabaseConstructor = options.Database ?? (await loadDatabase());
    if (path !== ':memory:' && !path.startsWith('file:')) {
      mkdirSync(dirname(resolve(path)), { recursive: true });
    }
    let database: Database;
    try {
      database = new DatabaseConstructor(path);
    } catch (error) {
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The sqlite database ${path} could not be opened: ${(error as Error).message}`,
        hint: 'Check that the path is writable.',
        cause: error,
      });
    }
    try {
      database.pragma(`busy_timeout = ${busyTimeoutMs}`);
      database.pragma('journal_mode = WAL');
      database.pragma(`synchronous = ${synchronous.toUpperCase()}`);
      database.pragma('foreign_keys = ON');
      autoCheckpointPages = Number(database.pragma('wal_autocheckpoint', { simple: true }));
      autoCheckpointSet = autoCheckpointPages;
      migrateSqliteSchema(database, path);
      const prepared = prepareSqliteStatements(database);
      db = database;
      statements = prepared;
      inSavepoint = database.transaction((run: () => unknown) => run());
      closed = false;
      lastSweep = 0;
      await use('kv', (s) => sweep(s, Date.now()));
    } catch (error) {
      db = undefined;
      statements = undefined;
      inSavepoint = undefined;
      database.close();
      if (isBotwireError(error)) throw error;
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The sqlite database ${path} could not be prepared: ${(error as Error).message}`,
        cause: error,
      });
    }
  };

  return {
    use,
    write: enqueue,
    sweep,
    flush: () => commit(false),

    open() {
      if (!opening) {
        opening = openDatabase().catch((error: unknown) => {
          opening = undefined;
          throw error;
        });
      }
      return opening;
    },

    async close() {
      if (opening) await opening.catch(() => undefined);
      commit(true);
      const database = db;
      db = undefined;
      statements = undefined;
      inSavepoint = undefined;
      opening = undefined;
      if (database) {
        closed = true;
        database.close();
      }
    },
  };
}
