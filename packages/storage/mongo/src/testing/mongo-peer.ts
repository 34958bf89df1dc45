/**
 * A MongoDB wire-protocol peer for tests: a TCP server on 127.0.0.1 that speaks OP_MSG (and
 * OP_QUERY for the drivers' first `hello`) with real BSON, on an in-memory store. It answers as
 * a standalone server of wire version 21 (MongoDB 7.0) would.
 */
import { createServer, type Socket } from 'node:net';
import { Binary, BSON } from 'bson';
import { type CommandContext, dataCommands } from './peer-commands';
import { type ScramConversation, scramFinish, scramStart } from './peer-scram';
import { maxBsonObjectSize, PeerStore } from './peer-store';
import { type Document, isPlainObject, PeerError } from './peer-values';

const opReply = 1;
const opQuery = 2004;
const opMsg = 2013;
const maxMessageSize = 48_000_000;

/** Options for {@link startMongoPeer}. */
export interface MongoPeerOptions {
  /** The port to listen on (default 0: a free one). */
  port?: number;
  /**
   * Users and their passwords. When given, every command but the handshake, `ping`,
   * `buildInfo` and the SCRAM-SHA-256 conversation needs an authenticated connection.
   */
  users?: Record<string, string>;
  /** How often documents past a TTL index's `expireAfterSeconds` are deleted, in ms (default 60000, as mongod). */
  ttlMonitorIntervalMs?: number;
}

/** A running peer. */
export interface MongoPeer {
  /** `mongodb://127.0.0.1:<port>` (no credentials). */
  readonly url: string;
  readonly port: number;
  /** The peer's data, to look at in tests. */
  readonly store: PeerStore;
  /** The names of the commands received, in order (`hello`, `find`, ...). */
  readonly commands: string[];
  /** Runs the TTL monitor now; returns how many documents it deleted. */
  sweepExpired(): number;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

/** Commands a connection may run before it authenticates. */
const openCommands = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'saslStart',
  'saslContinue',
  'endSessions',
]);

interface ConnectionState {
  id: number;
  authenticated: boolean;
  conversations: Map<number, ScramConversation>;
}

function replyHeader(length: number, requestId: number, responseTo: number, opCode: number) {
  const header = Buffer.alloc(16);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return header;
}

function readCString(buffer: Buffer, offset: number): [string, number] {
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new Error('unterminated cstring');
  return [buffer.toString('utf8', offset, end), end + 1];
}

/** The command document of an OP_MSG: its body with each kind-1 section added as an array. */
function parseOpMsg(message: Buffer): { body: Document; moreToCome: boolean } {
  const flags = message.readUInt32LE(16);
  const end = flags & 1 ? message.length - 4 : message.length;
  let offset = 20;
  let body: Document | undefined;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = message[offset++];
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      body = BSON.deserialize(message.subarray(offset, offset + size));
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      const [identifier, start] = readCString(message, offset + 4);
      const documents: Document[] = [];
      for (let at = start; at < sectionEnd; ) {
        const length = message.readInt32LE(at);
        documents.push(BSON.deserialize(message.subarray(at, at + length)));
        at += length;
      }
      sequences[identifier] = documents;
      offset = sectionEnd;
    } else {
      throw new Error(`unknown OP_MSG section kind ${String(kind)}`);
    }
  }
  if (!body) throw new Error('OP_MSG without a body section');
  return { body: { ...body, ...sequences }, moreToCome: (flags & 2) !== 0 };
}

/**
 * Starts a peer on a free loopback port.
 *
 * @example
 * const peer = await startMongoPeer();
 * const storage = mongoStorage({ url: peer.url, database: 'test' });
 * // ...
 * await peer.close();
 */
export async function startMongoPeer(options: MongoPeerOptions = {}): Promise<MongoPeer> {
  const store = new PeerStore();
  const users = new Map(Object.entries(options.users ?? {}));
  const needsAuth = users.size > 0;
  const commands: string[] = [];
  let cursorId = 1000;
  const context: CommandContext = {
    store,
    cursors: new Map(),
    nextCursorId: () => ++cursorId,
  };
  let requestCounter = 0;
  let connectionCounter = 0;
  let conversationCounter = 0;
  const sockets = new Set<Socket>();

  const hello = (name: string, body: Document, state: ConnectionState): Document => {
    const reply: Document = {
      helloOk: true,
      [name === 'hello' ? 'isWritablePrimary' : 'ismaster']: true,
      maxBsonObjectSize,
      maxMessageSizeBytes: maxMessageSize,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: state.id,
      minWireVersion: 0,
      maxWireVersion: 21,
      readOnly: false,
    };
    const mechanisms = body.saslSupportedMechs;
    if (typeof mechanisms === 'string') {
      const user = mechanisms.slice(mechanisms.indexOf('.') + 1);
      if (users.has(user)) reply.saslSupportedMechs = ['SCRAM-SHA-256'];
    }
    return { ...reply, ok: 1 };
  };

  const payloadText = (payload: unknown): string => {
    if (payload instanceof Binary)
      return Buffer.from(payload.buffer.subarray(0, payload.position)).toString('utf8');
    if (typeof payload === 'string') return payload;
    throw new PeerError(14, 'TypeMismatch', "BSON field 'payload' is the wrong type");
  };

  const sasl = (name: string, body: Document, state: ConnectionState): Document => {
    if (name === 'saslStart') {
      if (body.mechanism !== 'SCRAM-SHA-256') {
        throw new PeerError(
          334,
          'MechanismUnavailable',
          `Received authentication for mechanism ${String(body.mechanism)} which is not enabled`,
        );
      }
      const { conversation, reply } = scramStart(users, payloadText(body.payload));
      const id = ++conversationCounter;
      state.conversations.set(id, conversation);
      return { conversationId: id, done: false, payload: new Binary(Buffer.from(reply)), ok: 1 };
    }
    const id = Number(body.conversationId);
    const conversation = state.conversations.get(id);
    if (!conversation) throw new PeerError(17, 'ProtocolError', 'No SASL session state found');
    if (conversation.verified) {
      state.conversations.delete(id);
      state.authenticated = true;
      return { conversationId: id, done: true, payload: new Binary(Buffer.alloc(0)), ok: 1 };
    }
    let final: string;
    try {
      final = scramFinish(conversation, payloadText(body.payload));
    } catch (error) {
      state.conversations.delete(id);
      throw error;
    }
    const skipEmpty = isPlainObject(body.options) && body.options.skipEmptyExchange === true;
    if (skipEmpty) {
      state.conversations.delete(id);
      state.authenticated = true;
    }
    return { conversationId: id, done: skipEmpty, payload: new Binary(Buffer.from(final)), ok: 1 };
  };

  const runCommand = (database: string, body: Document, state: ConnectionState): Document => {
    const name = Object.keys(body)[0] ?? '';
    commands.push(name);
    try {
      if (needsAuth && !state.authenticated && !openCommands.has(name)) {
        throw new PeerError(13, 'Unauthorized', `Command ${name} requires authentication`);
      }
      switch (name) {
        case 'hello':
        case 'isMaster':
        case 'ismaster':
          return hello(name, body, state);
        case 'ping':
        case 'endSessions':
          return { ok: 1 };
        case 'buildInfo':
        case 'buildinfo':
          return {
            version: '7.0.0',
            gitVersion: 'botwire-mongo-peer',
            versionArray: [7, 0, 0, 0],
            bits: 64,
            maxBsonObjectSize,
            ok: 1,
          };
        case 'saslStart':
        case 'saslContinue':
          return sasl(name, body, state);
        default: {
          const handler = Object.hasOwn(dataCommands, name) ? dataCommands[name] : undefined;
          if (!handler) throw new PeerError(59, 'CommandNotFound', `no such command: '${name}'`);
          return handler(context, database, body);
        }
      }
    } catch (error) {
      if (error instanceof PeerError)
        return {
          ok: 0,
          errmsg: error.message,
          code: error.code,
          codeName: error.codeName,
          ...error.extra,
        };
      return {
        ok: 0,
        errmsg: error instanceof Error ? error.message : String(error),
        code: 1,
        codeName: 'InternalError',
      };
    }
  };

  const handleMessage = (socket: Socket, message: Buffer, state: ConnectionState): void => {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    if (opCode === opMsg) {
      const { body, moreToCome } = parseOpMsg(message);
      const database = typeof body.$db === 'string' ? body.$db : 'admin';
      const reply = BSON.serialize(runCommand(database, body, state));
      if (moreToCome) return;
      const head = Buffer.alloc(5);
      const header = replyHeader(
        16 + head.length + reply.length,
        ++requestCounter,
        requestId,
        opMsg,
      );
      socket.write(Buffer.concat([header, head, reply]));
      return;
    }
    if (opCode === opQuery) {
      const [namespace, afterName] = readCString(message, 20);
      const size = message.readInt32LE(afterName + 8);
      let query: Document = BSON.deserialize(message.subarray(afterName + 8, afterName + 8 + size));
      if (isPlainObject(query.$query)) query = query.$query;
      let reply: Document;
      let flags = 0;
      if (namespace.endsWith('.$cmd')) {
        reply = runCommand(namespace.slice(0, -'.$cmd'.length), query, state);
      } else {
        flags = 2;
        reply = { $err: 'OP_QUERY is only supported for commands', code: 5739101 };
      }
      const document = BSON.serialize(reply);
      const fields = Buffer.alloc(20);
      fields.writeInt32LE(flags, 0);
      fields.writeInt32LE(1, 16);
      const header = replyHeader(16 + 20 + document.length, ++requestCounter, requestId, opReply);
      socket.write(Buffer.concat([header, fields, document]));
      return;
    }
    // Legacy opcodes (OP_INSERT, OP_GET_MORE, ...) were removed in MongoDB 6.0: close as it does.
    socket.destroy();
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    const state: ConnectionState = {
      id: ++connectionCounter,
      authenticated: false,
      conversations: new Map(),
    };
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const length = pending.readInt32LE(0);
        if (length < 16 || length > maxMessageSize) {
          socket.destroy();
          return;
        }
        if (pending.length < length) break;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        try {
          handleMessage(socket, message, state);
        } catch {
          socket.destroy();
          return;
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const monitor = setInterval(() => store.sweepExpired(), options.ttlMonitorIntervalMs ?? 60_000);
  monitor.unref();

  return {
    url: `mongodb://127.0.0.1:${port}`,
    port,
    store,
    commands,
    sweepExpired: () => store.sweepExpired(),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(monitor);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
