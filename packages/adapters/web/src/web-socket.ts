import type { IncomingMessage as HttpRequest } from 'node:http';
import { isBotwireError } from '@botwire/core';
import type { ChatChannel, Socket } from './chat-channels';
import { chatLocale } from './chat-locale';
import { chatIdFor, type WebPrincipal } from './web-accounts';
import type { WebChatRuntime, WebInput } from './web-adapter';
import { preferredLocale } from './web-routes';

/** The largest frame a client may send; the socket itself refuses more (close code 1009). */
export const maxFrameBytes = 64 * 1024;
const signInTimeoutMs = 10_000;

/** Close codes the page understands: sign in again, or not allowed. */
export const closeCodes = { unauthorized: 4401, forbidden: 4403, invalid: 4400 } as const;

/** What a client may send over the socket. */
interface ClientFrame {
  type?: unknown;
  token?: unknown;
  since?: unknown;
  epoch?: unknown;
  userId?: unknown;
  locale?: unknown;
  text?: unknown;
  data?: unknown;
  label?: unknown;
  clientId?: unknown;
}

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;

/**
 * Serves one WebSocket of `/api/v1/ws`. The client signs in with its first frame
 * (`{"type":"hello","token":"...","since":0}`) or `?token=` in the URL, gets `ready` with the
 * chat's recent history, then sends `message` and `button` frames and receives every message
 * of its chat as it is sent, including proactive ones.
 */
export function acceptSocket(runtime: WebChatRuntime, socket: Socket, request: HttpRequest): void {
  let principal: WebPrincipal | undefined;
  let channel: ChatChannel | undefined;
  let userId: string | undefined;
  let locale = preferredLocale(request.headers['accept-language']);
  let signingIn: Promise<void> = Promise.resolve();
  const send = (payload: unknown) => {
    if (socket.readyState === 1) socket.send(JSON.stringify(payload));
  };
  const timer = setTimeout(
    () => socket.close(closeCodes.unauthorized, 'sign in first'),
    signInTimeoutMs,
  );
  timer.unref();

  const signIn = async (frame: ClientFrame) => {
    if (!runtime.running) return socket.close(1013, 'the web chat is not running; try again later');
    const who = await runtime.accounts.authenticate(text(frame.token, 512));
    if (!who) return socket.close(closeCodes.unauthorized, 'unknown token');
    const actingFor = text(frame.userId, 128);
    const chatId = chatIdFor(who, actingFor);
    if (!chatId) return socket.close(closeCodes.forbidden, 'only the owner token may set userId');
    clearTimeout(timer);
    principal = who;
    userId = actingFor;
    const chosen = await chatLocale.get(runtime.kv, chatId);
    locale = chosen ?? text(frame.locale, 35) ?? locale;
    channel = runtime.chats.get(chatId);
    channel.sockets.add(socket);
    const since = typeof frame.since === 'number' ? frame.since : 0;
    const reset = frame.epoch !== runtime.epoch;
    send({
      type: 'ready',
      epoch: runtime.epoch,
      user: {
        id: chatId,
        ...(who.name && !userId ? { name: who.name } : {}),
        owner: who.owner && !userId,
        ...(chosen ? { locale: chosen } : {}),
      },
      reset,
      history: await runtime.history.since(chatId, reset ? 0 : since),
      busy: channel.collector !== undefined,
      // The largest file POST /api/v1/files takes, so the page can refuse a larger one at once.
      maxUploadBytes: runtime.maxUploadBytes,
    });
  };

  const handle = async (frame: ClientFrame) => {
    if (frame.type === 'hello') {
      if (!principal) await signIn(frame);
      return;
    }
    if (frame.type === 'ping') return send({ type: 'pong' });
    if (!principal || !channel) return socket.close(closeCodes.unauthorized, 'sign in first');
    if (frame.type === 'locale') {
      // The user chose a language on the page: kept for every device, and used for the bot's replies.
      const chosen = text(frame.locale, 35);
      if (!chosen || !(await chatLocale.set(runtime.kv, channel.id, chosen)))
        return send({
          type: 'error',
          code: 'BOTWIRE_INVALID_ARGUMENT',
          message: 'Not a language tag.',
        });
      locale = chosen;
      return send({ type: 'locale', locale: chosen });
    }
    let input: WebInput;
    const clientId = text(frame.clientId, 64);
    if (frame.type === 'message') {
      const body = typeof frame.text === 'string' ? frame.text : '';
      if (!body.trim() || body.length > runtime.maxTextLength)
        return send({
          type: 'error',
          code: 'BOTWIRE_INVALID_ARGUMENT',
          message: 'Empty or too long.',
        });
      input = { text: body };
    } else if (frame.type === 'button') {
      const data = text(frame.data, 256);
      if (!data)
        return send({
          type: 'error',
          code: 'BOTWIRE_INVALID_ARGUMENT',
          message: 'No button data.',
        });
      const label = text(frame.label, 200);
      input = { button: { data, ...(label ? { label } : {}) } };
    } else {
      return send({
        type: 'error',
        code: 'BOTWIRE_INVALID_ARGUMENT',
        message: 'Unknown frame type.',
      });
    }
    try {
      await runtime.submit(principal, {
        ...input,
        ...(userId !== undefined ? { userId } : {}),
        ...(locale ? { locale } : {}),
        ...(clientId ? { clientId } : {}),
      });
    } catch (error) {
      runtime.log.error('web-message-failed', { error });
      send({
        type: 'error',
        code: isBotwireError(error) ? error.code : 'BOTWIRE_INTERNAL',
        message: 'The message could not be processed.',
        ...(clientId ? { clientId } : {}),
      });
    }
  };

  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  if (query.has('token'))
    signingIn = signIn({
      token: query.get('token'),
      since: Number(query.get('since') ?? 0),
      epoch: query.get('epoch'),
      userId: query.get('userId') ?? undefined,
    });

  socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary || raw.byteLength > maxFrameBytes)
      return socket.close(closeCodes.invalid, 'frames are JSON text of at most 64 KiB');
    let frame: ClientFrame;
    try {
      frame = JSON.parse(raw.toString('utf8')) as ClientFrame;
    } catch {
      return socket.close(closeCodes.invalid, 'frames are JSON');
    }
    // Frames are handled in order: a message never overtakes the hello before it.
    signingIn = signingIn.then(() => (frame.type === 'hello' ? handle(frame) : undefined));
    if (frame.type !== 'hello') void signingIn.then(() => handle(frame));
  });
  socket.on('close', () => {
    clearTimeout(timer);
    channel?.sockets.delete(socket);
  });
  socket.on('error', (error: Error) => runtime.log.debug('web-socket-error', { error }));
}
