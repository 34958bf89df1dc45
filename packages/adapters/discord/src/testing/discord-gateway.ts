import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { allIntents, guildCreateObject, intentBits, privilegedIntents } from './discord-objects';
import type { DiscordPeerState } from './discord-peer-state';

/** Gateway opcodes (discord-api-types `GatewayOpcodes`). */
const op = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  presenceUpdate: 3,
  voiceStateUpdate: 4,
  resume: 6,
  reconnect: 7,
  requestGuildMembers: 8,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
  requestSoundboardSounds: 31,
} as const;

/** Gateway close codes (discord-api-types `GatewayCloseCodes`). */
const close = {
  unknownOpcode: [4001, 'Unknown opcode.'],
  decodeError: [4002, 'Error while decoding payload.'],
  notAuthenticated: [4003, 'Not authenticated.'],
  authenticationFailed: [4004, 'Authentication failed.'],
  alreadyAuthenticated: [4005, 'Already authenticated.'],
  invalidShard: [4010, 'Invalid shard.'],
  invalidApiVersion: [4012, 'Invalid API version.'],
  invalidIntents: [4013, 'Invalid intent(s).'],
  disallowedIntents: [4014, 'Disallowed intent(s).'],
} as const;

/** What the client sent in IDENTIFY. */
export interface IdentifyRecord {
  token: string;
  intents: number;
  shard?: [number, number];
  properties?: Record<string, unknown>;
  compress?: boolean;
}

/** What happened on the gateway, for assertions. */
export interface GatewayLog {
  connections: number;
  identifies: IdentifyRecord[];
  resumes: number;
  /** Heartbeats received (op 1), each acknowledged with op 11. */
  heartbeats: number;
  /** The `d` (last sequence) of each heartbeat. */
  heartbeatSequences: (number | null)[];
  /** Close codes the peer sent, with their reasons. */
  closes: { code: number; reason: string }[];
}

interface Session {
  socket: WebSocket;
  id: string;
  intents: number;
  sequence: number;
  /** Every dispatch of the session, for RESUME replays. */
  log: { s: number; t: string; d: unknown }[];
}

/** Options of the gateway half of the peer. */
export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** Whether the application may use the privileged intents (the portal's switches). */
  privilegedIntentsEnabled: boolean;
}

/**
 * The WebSocket gateway (v10, JSON encoding, no transport compression): HELLO, IDENTIFY checked
 * against the token and intents, READY and GUILD_CREATE, heartbeats and their ACKs, RESUME with
 * replay, and dispatches with increasing sequence numbers per session.
 */
export class DiscordGateway {
  readonly log: GatewayLog = {
    connections: 0,
    identifies: [],
    resumes: 0,
    heartbeats: 0,
    heartbeatSequences: [],
    closes: [],
  };
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly state: DiscordPeerState,
    private readonly options: GatewayOptions,
  ) {}

  /** The URL GET /gateway/bot hands out. */
  get url(): string {
    return `${this.state.url.replace(/^http/, 'ws')}/gateway`;
  }

  /** True when a client has identified and its session is not over (it may be resuming). */
  get ready(): boolean {
    return this.sessions.size > 0;
  }

  /** Resolves when a client is ready (at once if one is). */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Takes an HTTP upgrade for `/gateway`. */
  upgrade(request: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (ws) => this.connect(ws, request));
  }

  /**
   * Sends a dispatch to every session whose intents ask for it. A session whose connection
   * dropped (without closing it with 1000 or 1001) keeps its dispatches for a RESUME to replay.
   */
  dispatch(type: string, data: unknown | ((intents: number) => unknown), intent?: number): void {
    for (const session of this.sessions.values()) {
      if (intent !== undefined && (session.intents & intent) === 0) continue;
      const payload =
        typeof data === 'function' ? (data as (intents: number) => unknown)(session.intents) : data;
      this.send(session, type, payload);
    }
  }

  /** Closes every connection (code 1001, going away) and the server. */
  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connect(socket: WebSocket, request: IncomingMessage): void {
    this.log.connections += 1;
    const query = new URL(request.url ?? '/', 'http://peer').searchParams;
    const fail = ([code, reason]: readonly [number, string]) => {
      this.log.closes.push({ code, reason });
      socket.close(code, reason);
    };
    if (query.get('v') !== '10') {
      fail(close.invalidApiVersion);
      return;
    }
    // The peer speaks JSON only and without zlib-stream; discord.js asks for neither without zlib-sync.
    if ((query.get('encoding') ?? 'json') !== 'json' || query.has('compress')) {
      fail(close.decodeError);
      return;
    }
    let session: Session | undefined;
    socket.send(
      JSON.stringify({
        op: op.hello,
        d: { heartbeat_interval: this.options.heartbeatIntervalMs },
        s: null,
        t: null,
      }),
    );
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(
          isBinary ? Buffer.from(raw as Buffer).toString('utf8') : raw.toString(),
        );
      } catch {
        return fail(close.decodeError);
      }
      switch (payload.op) {
        case op.heartbeat: {
          this.log.heartbeats += 1;
          this.log.heartbeatSequences.push(typeof payload.d === 'number' ? payload.d : null);
          socket.send(JSON.stringify({ op: op.heartbeatAck, d: null, s: null, t: null }));
          return;
        }
        case op.identify: {
          if (session) return fail(close.alreadyAuthenticated);
          const result = this.identify(socket, payload.d, fail);
          if (result) session = result;
          return;
        }
        case op.resume: {
          if (session) return fail(close.alreadyAuthenticated);
          session = this.resume(socket, payload.d, fail);
          return;
        }
        case op.presenceUpdate:
        case op.voiceStateUpdate:
        case op.requestGuildMembers:
        case op.requestSoundboardSounds:
          if (!session) return fail(close.notAuthenticated);
          return;
        default:
          return fail(close.unknownOpcode);
      }
    });
    socket.on('close', (code) => {
      if (!session || session.socket !== socket) return;
      // Closing with 1000 or 1001 ends the session: it cannot be resumed.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    });
  }

  private identify(
    socket: WebSocket,
    data: unknown,
    fail: (entry: readonly [number, string]) => void,
  ): Session | undefined {
    const identify = (data ?? {}) as Partial<IdentifyRecord>;
    this.log.identifies.push({
      token: String(identify.token),
      intents: Number(identify.intents),
      ...(identify.shard ? { shard: identify.shard } : {}),
      ...(identify.properties ? { properties: identify.properties } : {}),
      ...(identify.compress !== undefined ? { compress: identify.compress } : {}),
    });
    if (identify.token !== this.state.token) {
      fail(close.authenticationFailed);
      return undefined;
    }
    const intents = identify.intents;
    if (
      typeof intents !== 'number' ||
      !Number.isInteger(intents) ||
      intents < 0 ||
      (intents & ~allIntents) !== 0
    ) {
      fail(close.invalidIntents);
      return undefined;
    }
    if ((intents & privilegedIntents) !== 0 && !this.options.privilegedIntentsEnabled) {
      fail(close.disallowedIntents);
      return undefined;
    }
    const shard = identify.shard ?? [0, 1];
    if (shard[0] !== 0 || shard[1] !== 1) {
      fail(close.invalidShard);
      return undefined;
    }
    const session: Session = {
      socket,
      id: randomBytes(16).toString('hex'),
      intents,
      sequence: 0,
      log: [],
    };
    this.sessions.set(session.id, session);
    this.send(session, 'READY', {
      v: 10,
      user: { ...this.state.bot, verified: true, mfa_enabled: false, email: null },
      guilds: this.state.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url,
      shard,
      application: { id: this.state.applicationId, flags: 0 },
      session_type: 'normal',
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
      auth: {},
      geo_ordered_rtc_regions: ['local'],
    });
    if (intents & intentBits.guilds) {
      for (const guild of this.state.guilds) {
        this.send(
          session,
          'GUILD_CREATE',
          guildCreateObject(
            guild,
            this.state.bot,
            this.state.channels,
            this.state.users,
            new Date(0).toISOString(),
          ),
        );
      }
    }
    for (const resolve of this.waiters.splice(0)) resolve();
    return session;
  }

  private resume(
    socket: WebSocket,
    data: unknown,
    fail: (entry: readonly [number, string]) => void,
  ): Session | undefined {
    const resume = (data ?? {}) as { token?: string; session_id?: string; seq?: number };
    this.log.resumes += 1;
    if (resume.token !== this.state.token) {
      fail(close.authenticationFailed);
      return undefined;
    }
    const session = resume.session_id ? this.sessions.get(resume.session_id) : undefined;
    if (!session) {
      socket.send(JSON.stringify({ op: op.invalidSession, d: false, s: null, t: null }));
      return undefined;
    }
    session.socket = socket;
    for (const entry of session.log.filter((item) => item.s > (resume.seq ?? 0)))
      socket.send(JSON.stringify({ op: op.dispatch, ...entry }));
    this.send(session, 'RESUMED', null);
    return session;
  }

  private send(session: Session, type: string, data: unknown): void {
    session.sequence += 1;
    const entry = { s: session.sequence, t: type, d: data };
    session.log.push(entry);
    if (session.socket.readyState === session.socket.OPEN)
      session.socket.send(JSON.stringify({ op: op.dispatch, ...entry }));
  }
}
