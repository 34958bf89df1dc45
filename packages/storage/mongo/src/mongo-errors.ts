import { BotwireError, isBotwireError, redactSecret } from '@botwire/core';

/** The MongoDB URL as it may be shown: scheme, hosts and database, never user or password. */
export function safeMongoUrl(url: string): string {
  const match = /^([a-z+]+:\/\/)(?:[^@/]*@)?([^/?]*)(\/[^?]*)?/i.exec(url);
  if (!match) return '(invalid URL)';
  const path = match[3] && match[3] !== '/' ? match[3] : '';
  return `${match[1]}${match[2]}${path}`;
}

/** The user and password of a MongoDB URL, decoded; undefined when it has none. */
export function credentialsOf(url: string): { user?: string; password?: string } {
  const match = /^[a-z+]+:\/\/([^@/]*)@/i.exec(url);
  if (!match) return {};
  const [user, password] = match[1]!.split(':');
  const decode = (text: string | undefined) => {
    if (!text) return undefined;
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return { user: decode(user), password: decode(password) };
}

/** The database named in the URL's path, if any (`mongodb://host/botwire` gives `botwire`). */
export function databaseOf(url: string): string | undefined {
  const match = /^[a-z+]+:\/\/(?:[^@/]*@)?[^/?]*\/([^?]*)/i.exec(url);
  const name = match?.[1] ? decodeURIComponent(match[1]) : '';
  return name === '' ? undefined : name;
}

/** The server's error code of a driver error (11000 for a duplicate key), if any. */
export function serverCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** True for the E11000 duplicate key error of a unique index. */
export function isDuplicateKey(error: unknown): boolean {
  return serverCode(error) === 11000;
}

/** Where a failure happened, for its message. */
export interface MongoFailureContext {
  url: string;
  /** What the driver was doing: `connect`, `kv.set`, ... */
  action: string;
  serverSelectionTimeoutMs: number;
}

/**
 * A failure of MongoDB or mongoose as a BotwireError BOTWIRE_STORAGE_FAILED with the URL
 * (never the password) and a hint: unreachable, credentials refused, not allowed, or other.
 */
export function storageFailure(error: unknown, context: MongoFailureContext): BotwireError {
  if (isBotwireError(error)) return error;
  const where = `MongoDB at ${safeMongoUrl(context.url)}`;
  const { user, password } = credentialsOf(context.url);
  const text = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  const code = serverCode(error);
  let message: string;
  let hint: string;
  if (code === 18 || /Authentication failed|AuthenticationFailed/i.test(text)) {
    message = `${where} refused the credentials${user ? ` of user "${user}"` : ''} during ${context.action} (AuthenticationFailed).`;
    hint =
      'Put the right user and password in MONGODB_URL (mongodb://user:password@host:27017/botwire), and authSource=<db> when the user is not defined in admin.';
  } else if (code === 13) {
    message = `${where} did not allow ${context.action}: ${text}`;
    hint = 'Give the user the readWrite role on the database, or put credentials in MONGODB_URL.';
  } else if (
    name === 'MongoServerSelectionError' ||
    /ECONNREFUSED|ENOTFOUND|timed out/i.test(text)
  ) {
    message = `${where} could not be reached within ${context.serverSelectionTimeoutMs} ms during ${context.action}: ${text}`;
    hint =
      'Start MongoDB (docker run -p 27017:27017 mongo:7) or set MONGODB_URL to where it runs; serverSelectionTimeoutMs sets how long to wait.';
  } else {
    message = `${where} failed during ${context.action}: ${text}`;
    hint = 'See the MongoDB log; the driver needs MongoDB 4.4 or later.';
  }
  return new BotwireError('BOTWIRE_STORAGE_FAILED', {
    message: redactSecret(message, password),
    hint,
    details: {
      url: safeMongoUrl(context.url),
      ...(code === undefined ? {} : { code }),
    },
    cause: error,
  });
}
