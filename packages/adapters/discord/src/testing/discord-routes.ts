import { checkCommands } from './discord-checks';
import { channelTypes, errorBody, formError, snowflake } from './discord-objects';
import type { BotMessage, DiscordPeerState } from './discord-peer-state';

/** A file of a multipart request. */
export type UploadedFile = { name: string; contentType: string; data: Uint8Array };

/** What a route handler gets: the parsed request and the peer. */
export interface RouteContext {
  state: DiscordPeerState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  files: UploadedFile[];
  gatewayUrl: string;
}

export type RouteAnswer = { status: number; body?: unknown };

/** A REST route of the peer. */
export interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  /** False for routes authorized by a token in the path (interactions, webhooks). */
  auth: boolean;
  handle(context: RouteContext): RouteAnswer | Promise<RouteAnswer>;
}

/** A route template (`/channels/:channel`) as a pattern with named groups. */
export function compile(template: string): RegExp {
  const source = template
    .split('/')
    .map((part) =>
      part.startsWith(':')
        ? `(?<${part.slice(1)}>[^/]+)`
        : part.replace(/[.*+?^${}()|[\]\\@]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

const notFound = (code: number, message: string): RouteAnswer => ({
  status: 404,
  body: errorBody(code, message),
});
const unknownChannel = () => notFound(10_003, 'Unknown Channel');
const unknownMessage = () => notFound(10_008, 'Unknown Message');
const unknownInteraction = () => notFound(10_062, 'Unknown interaction');
const unknownWebhook = () => notFound(10_015, 'Unknown Webhook');

function createMessage(
  context: RouteContext,
  channelId: string,
  via: BotMessage['via'],
): RouteAnswer {
  const problem = context.state.checkMessageBody(context.body, context.files.length);
  if (problem) return problem;
  return {
    status: 200,
    body: context.state.createBotMessage(channelId, context.body, context.files, via).message,
  };
}

/** The interaction a webhook route's token names, once acknowledged. */
function interactionFor(context: RouteContext) {
  const interaction = context.state.interactions.get(context.params.token ?? '');
  if (!interaction || context.params.application !== context.state.applicationId) return undefined;
  return interaction.callbackType === undefined ? undefined : interaction;
}

/** The message a webhook route's `:message` names: `@original` or a follow-up's id. */
function webhookMessage(context: RouteContext): BotMessage | undefined {
  const interaction = interactionFor(context);
  if (!interaction) return undefined;
  const { state, params } = context;
  if (params.message === '@original') {
    if (interaction.original) return interaction.original;
    return state.sent.find((record) => record.message.id === interaction.messageId);
  }
  return state.sent.find(
    (record) =>
      record.message.id === params.message && record.message.channel_id === interaction.channelId,
  );
}

/** The REST API v10 routes the peer answers, as Discord does. */
export const routes: Route[] = [
  [
    'GET',
    '/gateway',
    false,
    (context: RouteContext) => ({ status: 200, body: { url: context.gatewayUrl } }),
  ],
  [
    'GET',
    '/gateway/bot',
    true,
    (context: RouteContext) => ({
      status: 200,
      body: {
        url: context.gatewayUrl,
        shards: 1,
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 14_400_000,
          max_concurrency: 1,
        },
      },
    }),
  ],
  [
    'GET',
    '/users/@me',
    true,
    (context: RouteContext) => ({ status: 200, body: context.state.bot }),
  ],
  [
    'POST',
    '/users/@me/channels',
    true,
    (context: RouteContext) => {
      const recipient = String(context.body.recipient_id ?? '');
      if (!context.state.users.has(recipient)) return notFound(10_013, 'Unknown User');
      let channel = [...context.state.channels.values()].find(
        (each) => each.type === channelTypes.dm && each.recipientId === recipient,
      );
      if (!channel) {
        channel = { id: snowflake(), type: channelTypes.dm, recipientId: recipient };
        context.state.addChannel(channel);
      }
      return { status: 200, body: context.state.channelPayload(channel.id) };
    },
  ],
  [
    'GET',
    '/channels/:channel',
    true,
    (context: RouteContext) => {
      const body = context.state.channelPayload(context.params.channel!);
      return body ? { status: 200, body } : unknownChannel();
    },
  ],
  [
    'POST',
    '/channels/:channel/messages',
    true,
    (context: RouteContext) =>
      context.state.channels.has(context.params.channel!)
        ? createMessage(context, context.params.channel!, 'channel')
        : unknownChannel(),
  ],
  [
    'GET',
    '/channels/:channel/messages/:message',
    true,
    (context: RouteContext) => {
      const message = context.state.messages.get(context.params.message!);
      return message && message.channel_id === context.params.channel
        ? { status: 200, body: message }
        : unknownMessage();
    },
  ],
  [
    'PATCH',
    '/channels/:channel/messages/:message',
    true,
    (context: RouteContext) => {
      const record = context.state.sent.find((each) => each.message.id === context.params.message);
      if (!record || record.message.channel_id !== context.params.channel) return unknownMessage();
      const problem = context.state.checkMessageBody(context.body, context.files.length, true);
      if (problem) return problem;
      context.state.editBotMessage(record, context.body, context.files);
      return { status: 200, body: record.message };
    },
  ],
  [
    'DELETE',
    '/channels/:channel/messages/:message',
    true,
    (context: RouteContext) => {
      const record = context.state.sent.find((each) => each.message.id === context.params.message);
      if (!record || record.message.channel_id !== context.params.channel) return unknownMessage();
      record.deleted = true;
      return { status: 204 };
    },
  ],
  [
    'POST',
    '/channels/:channel/typing',
    true,
    (context: RouteContext) => {
      if (!context.state.channels.has(context.params.channel!)) return unknownChannel();
      context.state.typing.push(context.params.channel!);
      return { status: 204 };
    },
  ],
  [
    'GET',
    '/applications/:application/commands',
    true,
    (context: RouteContext) =>
      context.params.application === context.state.applicationId
        ? { status: 200, body: context.state.commands }
        : notFound(10_002, 'Unknown Application'),
  ],
  ['PUT', '/applications/:application/commands', true, overwriteCommands],
  ['POST', '/interactions/:interaction/:token/callback', false, interactionCallback],
  [
    'POST',
    '/webhooks/:application/:token',
    false,
    (context: RouteContext) => {
      const interaction = interactionFor(context);
      if (!interaction) return unknownWebhook();
      const problem = context.state.checkMessageBody(context.body, context.files.length);
      if (problem) return problem;
      // Right after a deferred reply, a follow-up fills the "thinking…" message (Discord's backwards compatibility).
      const original = interaction.original;
      let record: BotMessage;
      if (original?.loading) {
        context.state.editBotMessage(original, context.body, context.files);
        record = original;
      } else {
        record = context.state.createBotMessage(
          interaction.channelId,
          context.body,
          context.files,
          'follow-up',
        );
      }
      return context.query.get('wait') === 'true'
        ? { status: 200, body: record.message }
        : { status: 204 };
    },
  ],
  [
    'GET',
    '/webhooks/:application/:token/messages/:message',
    false,
    (context: RouteContext) => {
      const record = webhookMessage(context);
      return record && !record.deleted ? { status: 200, body: record.message } : unknownMessage();
    },
  ],
  [
    'PATCH',
    '/webhooks/:application/:token/messages/:message',
    false,
    (context: RouteContext) => {
      if (!interactionFor(context)) return unknownWebhook();
      const record = webhookMessage(context);
      if (!record || record.deleted) return unknownMessage();
      const problem = context.state.checkMessageBody(context.body, context.files.length, true);
      if (problem) return problem;
      context.state.editBotMessage(record, context.body, context.files);
      return { status: 200, body: record.message };
    },
  ],
  [
    'DELETE',
    '/webhooks/:application/:token/messages/:message',
    false,
    (context: RouteContext) => {
      if (!interactionFor(context)) return unknownWebhook();
      const record = webhookMessage(context);
      if (!record || record.deleted) return unknownMessage();
      record.deleted = true;
      return { status: 204 };
    },
  ],
].map(([method, template, auth, handle]) => ({
  method: method as string,
  template: template as string,
  pattern: compile(template as string),
  auth: auth as boolean,
  handle: handle as Route['handle'],
}));

function overwriteCommands(context: RouteContext): RouteAnswer {
  if (context.params.application !== context.state.applicationId)
    return notFound(10_002, 'Unknown Application');
  if (!Array.isArray(context.body))
    return { status: 400, body: formError(['_'], 'LIST_TYPE_CONVERT', 'Must be an array.') };
  const commands = context.body as Record<string, unknown>[];
  if (commands.length > 100)
    return {
      status: 400,
      body: formError(['_'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.'),
    };
  const problem = checkCommands(commands);
  if (problem) return problem;
  const previous = new Map(context.state.commands.map((command) => [command.name, command.id]));
  context.state.commands = commands.map((command) => ({
    id: previous.get(command.name) ?? snowflake(),
    application_id: context.state.applicationId,
    version: snowflake(),
    type: 1,
    name_localizations: null,
    description_localizations: null,
    default_member_permissions: null,
    nsfw: false,
    contexts: null,
    integration_types: [0],
    options: [],
    ...Object.fromEntries(Object.entries(command).filter(([, value]) => value !== undefined)),
  }));
  return { status: 200, body: context.state.commands };
}

function interactionCallback(context: RouteContext): RouteAnswer {
  const { state, params, body } = context;
  const interaction = state.interactions.get(params.token ?? '');
  if (!interaction || interaction.id !== params.interaction) return unknownInteraction();
  const elapsed = Date.now() - interaction.createdAt;
  // An interaction must be acknowledged within 3 seconds; after that its token is unknown.
  if (interaction.callbackType === undefined && elapsed > 3000) return unknownInteraction();
  if (interaction.callbackType !== undefined)
    return { status: 400, body: errorBody(40_060, 'Interaction has already been acknowledged.') };
  const type = body.type;
  const data = (body.data ?? {}) as Record<string, unknown>;
  const component = interaction.type === 3;
  if (type === 4 || type === 5) {
    if (type === 4) {
      const problem = state.checkMessageBody(data, context.files.length);
      if (problem) return problem;
    }
    interaction.original = state.createBotMessage(
      interaction.channelId,
      type === 4 ? data : {},
      type === 4 ? context.files : [],
      'interaction',
      {
        loading: type === 5,
      },
    );
  } else if ((type === 6 || type === 7) && component) {
    if (type === 7) {
      const record = state.sent.find((each) => each.message.id === interaction.messageId);
      const problem = state.checkMessageBody(data, context.files.length, true);
      if (problem) return problem;
      if (record) state.editBotMessage(record, data, context.files);
    }
  } else {
    return {
      status: 400,
      body: formError(
        ['type'],
        'INTERACTION_CALLBACK_TYPE_INVALID',
        'Interaction callback type is invalid for this interaction.',
      ),
    };
  }
  interaction.callbackType = type;
  interaction.callbackAfterMs = elapsed;
  if (context.query.get('with_response') !== 'true') return { status: 204 };
  return {
    status: 200,
    body: {
      interaction: {
        id: interaction.id,
        type: interaction.type,
        activity_instance_id: null,
        response_message_id: interaction.original?.message.id ?? null,
        response_message_loading: type === 5,
        response_message_ephemeral: false,
      },
      resource: {
        type,
        ...(interaction.original ? { message: interaction.original.message } : {}),
      },
    },
  };
}
