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
  /** Runs `work` on the open database; turns driver errors into BotwireErrors. */
  use<T>(work: (s: SqliteStatements, database: Database) => T): T;
  /** Deletes expired key-value entries, at most once a minute. */
  sweep(s: SqliteStatements, now: number): void;
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

  /** Runs `work` on the open database; turns driver errors into BotwireErrors. */
  const use = <T>(work: (s: SqliteStatements, database: Database) => T): T => {
    if (!statements || !db) {
      throw new BotwireError('BOTWIRE_STORAGE_CLOSED', {
        message: closed
          ? `The sqlite storage ${path} was used after close().`
          : `The sqlite storage ${path} is not open. Call open() before using it.`,
      });
    }
    try {
      return work(statements, db);
    } catch (error) {
      if (isBotwireError(error)) throw error;
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw invalidArgument('The chat or user this refers to does not exist.', error);
      }
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The sqlite storage ${path} failed: ${(error as Error).message}`,
        details: typeof code === 'string' ? { sqliteCode: code } : {},
        cause: error,
      });
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
      migrateSqliteSchema(database, path);
      const prepared = prepareSqliteStatements(database);
      db = database;
      statements = prepared;
      closed = false;
      lastSweep = 0;
      use((s) => sweep(s, Date.now()));
    } catch (error) {
      db = undefined;
      statements = undefined;
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
    sweep,

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
      const database = db;
      db = undefined;
      statements = undefined;
      opening = undefined;
      if (database) {
        closed = true;
        database.close();
      }
    },
  };
}
