import type BetterSqlite3 from 'better-sqlite3';
import { BotwireError } from '../../errors/botwire-error';

/**
 * The schema, one entry per version: entry `n` moves a database from `user_version` n to n + 1.
 * Append new entries; never edit one that has shipped.
 */
export const sqliteMigrations: readonly string[] = [
  `CREATE TABLE users (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     name TEXT,
     username TEXT,
     locale TEXT,
     role TEXT CHECK (role IN ('owner', 'admin', 'moderator', 'user')),
     data TEXT NOT NULL DEFAULT '{}',
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX users_by_role ON users (role, seq);
   CREATE TABLE user_identities (
     seq INTEGER PRIMARY KEY,
     platform TEXT NOT NULL,
     platform_id TEXT NOT NULL,
     user_id TEXT NOT NULL REFERENCES users (id),
     UNIQUE (platform, platform_id)
   );
   CREATE INDEX user_identities_by_user ON user_identities (user_id, seq);
   CREATE TABLE chats (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     platform TEXT NOT NULL,
     platform_id TEXT NOT NULL,
     type TEXT NOT NULL CHECK (type IN ('private', 'group')),
     title TEXT,
     created_at INTEGER NOT NULL,
     UNIQUE (platform, platform_id)
   );
   CREATE TABLE messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     chat_id TEXT NOT NULL REFERENCES chats (id),
     user_id TEXT REFERENCES users (id),
     direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
     text TEXT NOT NULL,
     platform_message_id TEXT,
     meta TEXT,
     at INTEGER NOT NULL
   );
   CREATE INDEX messages_by_chat ON messages (chat_id, id);
   CREATE TABLE kv (
     namespace TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     expires_at INTEGER,
     PRIMARY KEY (namespace, key)
   ) WITHOUT ROWID;
   CREATE INDEX kv_by_expiry ON kv (expires_at) WHERE expires_at IS NOT NULL;`,
  // 2: the `premium` role. SQLite cannot change a CHECK, so the table is rebuilt (foreign keys
  // are off while migrations run; see migrateSqliteSchema).
  `CREATE TABLE users_v2 (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     name TEXT,
     username TEXT,
     locale TEXT,
     role TEXT CHECK (role IN ('owner', 'admin', 'moderator', 'premium', 'user')),
     data TEXT NOT NULL DEFAULT '{}',
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   INSERT INTO users_v2 (seq, id, name, username, locale, role, data, created_at, updated_at)
     SELECT seq, id, name, username, locale, role, data, created_at, updated_at FROM users;
   DROP TABLE users;
   ALTER TABLE users_v2 RENAME TO users;
   CREATE INDEX users_by_role ON users (role, seq);`,
];

/**
 * Brings the schema of the sqlite database at `path` up to the newest version, in one
 * immediate transaction; does nothing when it is already current. Throws
 * BOTWIRE_STORAGE_FAILED when the file was written by a newer Botwire.
 */
export function migrateSqliteSchema(db: BetterSqlite3.Database, path: string): void {
  const versionNow = () => db.pragma('user_version', { simple: true }) as number;
  if (versionNow() === sqliteMigrations.length) return;
  // A table rebuild drops a table that others reference: foreign keys are checked once, after
  // the migrations, instead of on every statement (the pragma is a no-op inside a transaction).
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    migrate(db, path, versionNow);
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}

function migrate(db: BetterSqlite3.Database, path: string, versionNow: () => number): void {
  db.transaction(() => {
    const current = versionNow();
    if (current > sqliteMigrations.length) {
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The database ${path} has schema version ${current}; this Botwire knows up to ${sqliteMigrations.length}.`,
        hint: 'Upgrade @botwire/core, or point the sqlite storage at another file.',
      });
    }
    for (let version = current; version < sqliteMigrations.length; version++) {
      db.exec(sqliteMigrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0)
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `Upgrading the database ${path} left ${broken.length} rows pointing at missing rows; nothing was changed.`,
      });
  }).immediate();
}
