import { type JsonSchemaType, parseWithSchema, type SchemaIssue } from '@botwire/core';

import { localePattern } from './chat-locale';

/**
 * The body of `POST /api/v1/chat`, written once: the route validates with it (core's
 * validator), the route handler's type is derived from it, and `/openapi.json` shows it.
 * `maxText` is the adapter's longest message.
 */
export function chatRequestSchema(maxText: number) {
  return {
    type: 'object',
    properties: {
      text: {
        type: 'string',
        maxLength: maxText,
        description: 'The message. Required unless "button" is sent; not only spaces.',
      },
      button: {
        type: 'string',
        minLength: 1,
        maxLength: 256,
        description: 'Press a button: its data.',
      },
      userId: {
        type: 'string',
        pattern: '^[\\w.@:+-]{1,128}$',
        description:
          "Owner token only: act for this user of the owner's own site or app (a separate chat, not the owner).",
      },
      locale: {
        type: 'string',
        pattern: localePattern.source,
        examples: ['en', 'ru-RU'],
        description: 'The language of the user, a BCP-47 tag.',
      },
    },
    anyOf: [
      { required: ['button'] },
      { required: ['text'], properties: { text: { pattern: '\\S' } } },
    ],
  } as const;
}

/** What `POST /api/v1/chat` accepts. */
export type ChatRequest = JsonSchemaType<ReturnType<typeof chatRequestSchema>>;

/**
 * The body of `POST /api/v1/invitations`: an optional name for the person invited.
 */
export const invitationRequestSchema = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 } },
} as const;

/** What `POST /api/v1/invitations` accepts. */
export type InvitationRequest = JsonSchemaType<typeof invitationRequestSchema>;

const sayTextOrButton =
  'send "text" (a message, not only spaces) or "button" (the data of a button pressed)';

/**
 * A 400 message from the issues: what is wrong at each place. The `anyOf` of the chat body
 * (text or button) is said in words instead of as one failed branch.
 */
export function describeIssues(issues: readonly SchemaIssue[]): string {
  const messages = issues.map((issue) =>
    (issue.keyword === 'required' && /^\/(text|button)$/.test(issue.path)) ||
    (issue.keyword === 'pattern' && issue.path === '/text')
      ? sayTextOrButton
      : issue.message,
  );
  return [...new Set(messages)].join('; ');
}

/** Checks a parsed body against a schema: the typed body, or the message for a 400. */
export function parseBody<T>(schema: object, body: unknown): { value: T } | { problem: string } {
  const parsed = parseWithSchema<T>(schema, body, 'the body');
  return parsed.ok ? { value: parsed.value } : { problem: describeIssues(parsed.issues) };
}
