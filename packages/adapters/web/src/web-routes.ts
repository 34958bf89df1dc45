import { bearerToken, type HttpRoutes, readBodyText } from '@botwire/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isArtifactId } from './artifact-store';
import type { ChatEvent } from './chat-channels';
import { chatLocale, localePattern } from './chat-locale';
import {
  type ChatRequest,
  chatRequestSchema,
  type InvitationRequest,
  invitationRequestSchema,
  parseBody,
} from './chat-request';
import {
  formOverheadBytes,
  readUploadForm,
  tooLargeMessage,
  uploadFieldsSchema,
} from './file-upload';
import { chatIdFor, type WebPrincipal } from './web-accounts';
import type { WebChatRuntime } from './web-adapter';
import { webApiDocuments } from './web-api-documents';
import { readPageFiles } from './web-page';
import { welcomeSuggestions } from './welcome';

const maxBodyBytes = 256 * 1024;

const problem = (code: string, message: string) => ({ error: { code, message } });
const signIn = problem(
  'BOTWIRE_ACCESS_DENIED',
  'Sign in: send Authorization: Bearer <token> (the owner token or an invitation token).',
);
const ownerOnly = problem('BOTWIRE_ACCESS_DENIED', 'Only the owner token may do this.');

/** Reads a JSON body of at most `limit` bytes; `undefined` for an empty body. */
async function readJson(request: Request, limit: number): Promise<unknown> {
  const text = await readBodyText(request, limit);
  if (text === undefined) throw new RangeError('too large');
  const trimmed = text.trim();
  return trimmed ? JSON.parse(trimmed) : undefined;
}

/** The first language of an Accept-Language header: `ru-RU,ru;q=0.9` → `ru-RU`. */
export function preferredLocale(header: string | undefined): string | undefined {
  const first = header?.split(',')[0]?.split(';')[0]?.trim();
  return first && localePattern.test(first) ? first : undefined;
}

/** A reply as the chat API returns it. */
function toReply(event: ChatEvent) {
  return {
    text: event.text,
    ...(event.format ? { format: event.format } : {}),
    ...(event.buttons ? { buttons: event.buttons } : {}),
    artifacts: event.artifacts ?? [],
  };
}

/** `Content-Disposition: attachment` with an ASCII fallback name and the UTF-8 one. */
function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Mounts the web chat on the bot's HTTP server: the API under `/api/v1`, the page at `/` and
 * its files under `/web-chat/`, and describes the API for `/openapi.json`.
 */
export function mountWebRoutes(
  server: HttpRoutes,
  runtime: WebChatRuntime,
  options: { page: boolean },
): void {
  // The web chat's own app; the bot's server hands it the requests of the paths it mounts.
  const app = new Hono<{ Variables: { principal: WebPrincipal } }>();
  const chatBody = chatRequestSchema(runtime.maxTextLength);
  const uploadFields = uploadFieldsSchema(runtime.maxTextLength);
  const principalOf = (authorization: string | undefined) =>
    runtime.accounts.authenticate(bearerToken(authorization));
  /** The language asked for, else the one the user chose on the page, else the browser's. */
  const localeOf = async (
    principal: WebPrincipal,
    request: { userId?: string; locale?: string },
    acceptLanguage: string | undefined,
  ) => {
    const chatId = chatIdFor(principal, request.userId) ?? principal.key;
    return (
      request.locale ??
      (await chatLocale.get(runtime.kv, chatId)) ??
      preferredLocale(acceptLanguage)
    );
  };

  app.use('/api/v1/*', async (c, next) => {
    c.header('cache-control', 'no-store');
    if (!runtime.running)
      return c.json(problem('BOTWIRE_ADAPTER_NOT_STARTED', 'The web chat is not running.'), 503);
    await next();
  });

  app.post('/api/v1/chat', async (c) => {
    const principal = await principalOf(c.req.header('authorization'));
    if (!principal) return c.json(signIn, 401, { 'www-authenticate': 'Bearer' });
    let body: unknown;
    try {
      body = await readJson(c.req.raw, maxBodyBytes);
    } catch (error) {
      return error instanceof RangeError
        ? c.json(problem('BOTWIRE_INVALID_ARGUMENT', 'The body is too large.'), 413)
        : c.json(problem('BOTWIRE_INVALID_ARGUMENT', 'The body is not valid JSON.'), 400);
    }
    const parsed = parseBody<ChatRequest>(chatBody, body);
    if ('problem' in parsed)
      return c.json(problem('BOTWIRE_INVALID_ARGUMENT', parsed.problem), 400);
    const request = parsed.value;
    if (request.userId !== undefined && !principal.owner) return c.json(ownerOnly, 403);
    const locale = await localeOf(principal, request, c.req.header('accept-language'));
    const replies = await runtime.submit(principal, {
      ...(request.button ? { button: { data: request.button } } : { text: request.text ?? '' }),
      ...(request.userId !== undefined ? { userId: request.userId } : {}),
      ...(locale ? { locale } : {}),
    });
    return c.json({ replies: replies.map(toReply) });
  });

  // A file: signed in first, so nobody without a token gets a byte buffered; then the body is
  // refused while it arrives once it passes the limit (a declared Content-Length at once).
  app.post(
    '/api/v1/files',
    async (c, next) => {
      const principal = await principalOf(c.req.header('authorization'));
      if (!principal) return c.json(signIn, 401, { 'www-authenticate': 'Bearer' });
      c.set('principal', principal);
      await next();
    },
    bodyLimit({
      maxSize: runtime.maxUploadBytes + formOverheadBytes,
      // The rest of the body is not read: the connection closes after the answer, so a
      // client does not send its next request down a connection still busy with this one.
      onError: (c) =>
        c.json(problem('BOTWIRE_INVALID_ARGUMENT', tooLargeMessage(runtime.maxUploadBytes)), 413, {
          connection: 'close',
        }),
    }),
    async (c) => {
      const principal = c.get('principal');
      if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? ''))
        return c.json(
          problem(
            'BOTWIRE_INVALID_ARGUMENT',
            'Send multipart/form-data with the file in the field "file".',
          ),
          415,
        );
      let form: FormData;
      try {
        form = await c.req.raw.formData();
      } catch {
        return c.json(
          problem('BOTWIRE_INVALID_ARGUMENT', 'The body is not valid multipart/form-data.'),
          400,
        );
      }
      const checked = readUploadForm(form, uploadFields, runtime.maxUploadBytes);
      if ('problem' in checked)
        return c.json(problem('BOTWIRE_INVALID_ARGUMENT', checked.problem), checked.status);
      const { fields, file, name, mimeType } = checked.value;
      if (fields.userId !== undefined && !principal.owner) return c.json(ownerOnly, 403);
      const locale = await localeOf(principal, fields, c.req.header('accept-language'));
      const replies = await runtime.submit(principal, {
        text: fields.text ?? '',
        file: { name, mimeType, size: file.size, data: file },
        ...(fields.userId !== undefined ? { userId: fields.userId } : {}),
        ...(locale ? { locale } : {}),
        ...(fields.clientId ? { clientId: fields.clientId } : {}),
      });
      return c.json({ replies: replies.map(toReply) });
    },
  );

  app.get('/api/v1/welcome', async (c) => {
    const principal = await principalOf(c.req.header('authorization'));
    if (!principal) return c.json(signIn, 401, { 'www-authenticate': 'Bearer' });
    const chatId = principal.key;
    const asked = c.req.query('locale');
    const locale =
      (asked && localePattern.test(asked) ? asked : undefined) ??
      (await chatLocale.get(runtime.kv, chatId)) ??
      preferredLocale(c.req.header('accept-language')) ??
      'en';
    return c.json({ locale, suggestions: welcomeSuggestions(runtime.commands(), locale) });
  });

  app.get('/api/v1/artifacts/:id', async (c) => {
    const principal = await principalOf(c.req.header('authorization'));
    if (!principal) return c.json(signIn, 401, { 'www-authenticate': 'Bearer' });
    const id = c.req.param('id');
    const file = isArtifactId(id) ? await runtime.artifacts.get(id) : undefined;
    // Someone else's file is answered exactly like a missing one.
    if (!file || file.meta.ownerKey !== principal.key)
      return c.json(problem('BOTWIRE_NOT_FOUND', 'No such file, or it expired.'), 404);
    return new Response(Buffer.from(file.data), {
      headers: {
        'content-type': file.meta.mimeType,
        'content-length': String(file.data.byteLength),
        'content-disposition': attachmentHeader(file.meta.name),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-store',
      },
    });
  });

  app.post('/api/v1/invitations', async (c) => {
    const principal = await principalOf(c.req.header('authorization'));
    if (!principal) return c.json(signIn, 401, { 'www-authenticate': 'Bearer' });
    if (!principal.owner) return c.json(ownerOnly, 403);
    let body: unknown;
    try {
      body = await readJson(c.req.raw, 4096);
    } catch {
      return c.json(problem('BOTWIRE_INVALID_ARGUMENT', 'The body is not valid JSON.'), 400);
    }
    const parsed = parseBody<InvitationRequest>(invitationRequestSchema, body ?? {});
    if ('problem' in parsed)
      return c.json(problem('BOTWIRE_INVALID_ARGUMENT', parsed.problem), 400);
    const { name } = parsed.value;
    const { invitation, token } = await runtime.accounts.invite(name?.trim() || undefined);
    runtime.log.info('web-invitation-created', { invitation: invitation.id });
    return c.json({ invitation, token, url: `/#token=${token}` }, 201);
  });

  app.get('/api/v1/invitations', async (c) => {
    const principal = await principalOf(c.req.header('authorization'));
    if (!principal) return c.json(signIn, 401, { 'www-authenticate': 'Bearer' });
    if (!principal.owner) return c.json(ownerOnly, 403);
    return c.json({ invitations: await runtime.accounts.list() });
  });

  app.delete('/api/v1/invitations/:id', async (c) => {
    const principal = await principalOf(c.req.header('authorization'));
    if (!principal) return c.json(signIn, 401, { 'www-authenticate': 'Bearer' });
    if (!principal.owner) return c.json(ownerOnly, 403);
    const id = c.req.param('id');
    if (!(await runtime.accounts.revoke(id)))
      return c.json(problem('BOTWIRE_NOT_FOUND', 'No such invitation.'), 404);
    for (const socket of runtime.chats.find(`invitation:${id}`)?.sockets ?? [])
      socket.close(4401, 'the invitation was revoked');
    runtime.log.info('web-invitation-revoked', { invitation: id });
    return c.body(null, 204);
  });

  app.get('/api/v1/ws', (c) =>
    c.json(
      problem('BOTWIRE_INVALID_ARGUMENT', 'Connect with a WebSocket client (Upgrade: websocket).'),
      426,
    ),
  );

  if (options.page) {
    const files = readPageFiles();
    app.get('/', (c) => c.body(files.page.body, 200, files.page.headers));
    app.get('/web-chat/:file', (c) => {
      const file = files.assets.get(c.req.param('file'));
      if (!file) return c.json(problem('BOTWIRE_NOT_FOUND', 'No such file.'), 404);
      return c.body(file.body, 200, file.headers);
    });
  }

  server.mount('/api/v1/*', (request) => app.fetch(request));
  if (options.page) {
    server.mount('/', (request) => app.fetch(request));
    server.mount('/web-chat/*', (request) => app.fetch(request));
  }
  for (const route of webApiDocuments(options.page, chatBody, runtime.maxUploadBytes))
    server.describe(route);
}
