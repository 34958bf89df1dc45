import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ChatRequest,
  chatRequestSchema,
  type InvitationRequest,
  invitationRequestSchema,
  parseBody,
} from './chat-request';
import { webApiDocuments } from './web-api-documents';

const schema = chatRequestSchema(100);
const parse = (body: unknown) => parseBody<ChatRequest>(schema, body);

describe('the /api/v1/chat body schema', () => {
  it('accepts a message or a button press, with userId and locale', () => {
    expect(parse({ text: 'hi' })).toEqual({ value: { text: 'hi' } });
    expect(parse({ button: 'colour:red' })).toEqual({ value: { button: 'colour:red' } });
    expect(parse({ text: 'hi', userId: 'site:42', locale: 'ru-RU' })).toEqual({
      value: { text: 'hi', userId: 'site:42', locale: 'ru-RU' },
    });
  });

  it('rejects what is not a message, saying what is wrong', () => {
    const problems = [
      parse('not an object'),
      parse({}),
      parse({ text: '   ' }),
      parse({ text: 'x'.repeat(101) }),
      parse({ button: '' }),
      parse({ text: 'hi', userId: 'bad id with spaces' }),
      parse({ text: 'hi', locale: 'English please' }),
      parse({ text: 5 }),
    ].map((result) => ('problem' in result ? result.problem : undefined));
    expect(problems.every((problem) => typeof problem === 'string' && problem.length > 0)).toBe(
      true,
    );
    expect(problems[1]).toMatch(/"text".*or "button"/);
    expect(problems[2]).toMatch(/"text".*or "button"/);
    expect(problems[3]).toMatch(/text/);
    expect(problems[5]).toMatch(/userId/);
    expect(problems[6]).toMatch(/locale/);
  });

  it('gives the route its type and /openapi.json the same schema', () => {
    expectTypeOf<ChatRequest>().toEqualTypeOf<{
      text?: string;
      button?: string;
      userId?: string;
      locale?: string;
    }>();
    expectTypeOf<InvitationRequest>().toEqualTypeOf<{ name?: string }>();
    const routes = webApiDocuments(true, schema);
    const chat = routes.find((route) => route.path === '/api/v1/chat');
    expect(chat?.requestBody).toBe(schema);
    const invitations = routes.find(
      (route) => route.path === '/api/v1/invitations' && route.method === 'post',
    );
    expect(invitations?.requestBody).toBe(invitationRequestSchema);
  });
});
