import type BetterSqlite3 from 'better-sqlite3';
import { BotwireError } from '../../errors/botwire-error';

/**
 * The schema, one entry per version: entry `n` moves a database from `user_version` n to n + 1.
 * Append new entries; never edit one that has shipped.
 */
const migrations: readonly string[] = [
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
];

/**
 * Brings the schema of the sqlite database at `path` up to the newest version, in one
 * immediate transaction; does nothing when it is already current. Throws
 * BOTWIRE_STORAGE_FAILED when the file was written by a newer Botwire.
 */
export function migrateSqliteSchema(db: BetterSqlite3.Database, path: string): void {
  const versionNow = () => db.pragma('user_version', { simple: true }) as number;
  if (versionNow() === migrations.length) return;
  db.transaction(() => {
    const current = versionNow();
    if (current > migrations.length) {
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The database ${path} has schema version ${current}; this Botwire knows up to ${migrations.length}.`,
        hint: 'Upgrade @botwire/core, or point the sqlite storage at another file.',
      });
    }
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
  }).immediate();
}
