import type { RouteDocument } from '@botwire/core';
import { invitationRequestSchema } from './chat-request';
import { defaultMaxUploadBytes, tooLargeMessage } from './file-upload';

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

const buttonsSchema = {
  type: 'array',
  description: 'Rows of buttons; press one by sending its data as "button".',
  items: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        label: { type: 'string' },
        data: { type: 'string' },
        url: { type: 'string' },
      },
      required: ['label'],
    },
  },
};

const artifactSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    mimeType: { type: 'string' },
    size: { type: 'integer' },
    url: {
      type: 'string',
      description: 'A path on this server; GET it with the same token.',
      examples: ['/api/v1/artifacts/3q2-7wEg5KmJ0cXb1rTz8xYp'],
    },
  },
  required: ['name', 'mimeType', 'url'],
};

const invitationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    admitted: { type: 'boolean' },
  },
  required: ['id', 'createdAt', 'admitted'],
};

const repliesSchema = {
  type: 'object',
  properties: {
    replies: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          text: { type: 'string' },
          format: { enum: ['plain', 'markdown'] },
          buttons: buttonsSchema,
          artifacts: { type: 'array', items: artifactSchema },
        },
        required: ['text', 'artifacts'],
      },
    },
  },
  required: ['replies'],
};

const unauthorized = { description: 'No token, or an unknown one.', schema: errorSchema };
const forbidden = { description: 'Only the owner token may do this.', schema: errorSchema };

/**
 * The web chat's routes, for the server's `/openapi.json`; request bodies are the schemas the
 * routes validate with (`chatBody`: `chatRequestSchema` at the adapter's text limit), and
 * `maxUploadBytes` the adapter's file limit.
 */
export function webApiDocuments(
  page: boolean,
  chatBody: Record<string, unknown>,
  maxUploadBytes = defaultMaxUploadBytes,
): RouteDocument[] {
  const routes: RouteDocument[] = [
    {
      method: 'post',
      path: '/api/v1/chat',
      summary:
        'Sends a message (or a button press) to the bot as the signed-in user and answers with its replies once it has processed it.',
      auth: true,
      requestBody: chatBody,
      responses: {
        '200': { description: "The bot's replies to this message.", schema: repliesSchema },
        '400': { description: 'The body is not a valid message.', schema: errorSchema },
        '401': unauthorized,
        '403': { description: 'userId sent with an invitation token.', schema: errorSchema },
        '413': { description: 'The body is larger than 256 KiB.', schema: errorSchema },
      },
    },
    {
      method: 'post',
      path: '/api/v1/files',
      summary: `Sends a file to the bot as the signed-in user (the skills with "files" in skill.json take it) and answers with its replies, like /api/v1/chat. The body is multipart/form-data: "file" (required, exactly one file, not empty, at most ${maxUploadBytes} bytes), and the optional text fields "text" (a caption), "userId" and "locale" (as for /api/v1/chat) and "clientId" (the page's id, kept in the history). An image is a photo attachment, audio and video theirs, anything else a document.`,
      auth: true,
      responses: {
        '200': { description: "The bot's replies to this file.", schema: repliesSchema },
        '400': {
          description: 'No file, several files, an empty file, or an invalid text field.',
          schema: errorSchema,
        },
        '401': unauthorized,
        '403': { description: 'userId sent with an invitation token.', schema: errorSchema },
        '413': {
          description: `The file is larger than the limit: ${tooLargeMessage(maxUploadBytes)}`,
          schema: errorSchema,
        },
        '415': { description: 'The body is not multipart/form-data.', schema: errorSchema },
      },
    },
    {
      method: 'get',
      path: '/api/v1/welcome',
      summary:
        "What the empty chat suggests: up to three phrases (the skills' commands, then /help) described in the user's language (?locale=, else the language chosen on the page, else Accept-Language).",
      auth: true,
      responses: {
        '200': {
          description: 'The language used and the suggested phrases.',
          schema: {
            type: 'object',
            properties: {
              locale: { type: 'string', examples: ['en', 'ru'] },
              suggestions: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { text: { type: 'string' }, description: { type: 'string' } },
                  required: ['text', 'description'],
                },
              },
            },
            required: ['locale', 'suggestions'],
          },
        },
        '401': unauthorized,
      },
    },
    {
      method: 'get',
      path: '/api/v1/artifacts/{id}',
      summary: 'Downloads a file the bot sent; only with the token of the user it was sent to.',
      auth: true,
      responses: {
        '200': {
          description: 'The file, as an attachment.',
          contentType: 'application/octet-stream',
        },
        '401': unauthorized,
        '404': {
          description: "No such file, it expired, or it is another user's.",
          schema: errorSchema,
        },
      },
    },
    {
      method: 'post',
      path: '/api/v1/invitations',
      summary:
        'Creates an invitation (owner token only). Its token signs a new person in to the web chat as a user; it is shown only in this answer.',
      auth: true,
      requestBody: invitationRequestSchema,
      responses: {
        '201': {
          description: 'The invitation, its token, and a sign-in link path.',
          schema: {
            type: 'object',
            properties: {
              invitation: invitationSchema,
              token: { type: 'string' },
              url: { type: 'string', examples: ['/#token=bwi_...'] },
            },
            required: ['invitation', 'token', 'url'],
          },
        },
        '401': unauthorized,
        '403': forbidden,
      },
    },
    {
      method: 'get',
      path: '/api/v1/invitations',
      summary: 'Lists the invitations (owner token only), without their tokens.',
      auth: true,
      responses: {
        '200': {
          description: 'Every invitation, oldest first.',
          schema: {
            type: 'object',
            properties: { invitations: { type: 'array', items: invitationSchema } },
          },
        },
        '401': unauthorized,
        '403': forbidden,
      },
    },
    {
      method: 'delete',
      path: '/api/v1/invitations/{id}',
      summary:
        "Revokes an invitation (owner token only): its token stops working and its holder's page is signed out.",
      auth: true,
      responses: {
        '204': { description: 'Revoked.' },
        '401': unauthorized,
        '403': forbidden,
        '404': { description: 'No such invitation.', schema: errorSchema },
      },
    },
    {
      method: 'get',
      path: '/api/v1/ws',
      summary:
        'WebSocket: send {"type":"hello","token":"..."} first (or connect with ?token=); then send {"type":"message","text":"..."} or {"type":"button","data":"..."} (or {"type":"locale","locale":"ru"} to keep the language chosen on the page) and receive "ready", "message" and "status" events, including proactive messages.',
      responses: {
        '101': { description: 'Switching to the WebSocket protocol.' },
        '426': { description: 'Not a WebSocket request.', schema: errorSchema },
      },
    },
  ];
  if (page)
    routes.push({
      method: 'get',
      path: '/',
      summary: 'The web chat page (sign in with the owner token or an invitation token).',
      responses: { '200': { description: 'An HTML page.', contentType: 'text/html' } },
    });
  return routes;
}
