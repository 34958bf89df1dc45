import { describe, expect, it } from 'vitest';
import type { ChatModel, ChatRequest } from '../ports/chat-model';
import { Redactor, redactingChatModel, redactOutgoing } from './redact';

describe('secrets on the way out', () => {
  it('hides known secrets in a reply’s text, button labels and links', () => {
    const redactor = new Redactor();
    redactor.add('sk-live-123456');
    const message = {
      text: 'your key is sk-live-123456',
      buttons: [[{ label: 'use sk-live-123456', url: 'https://x.test/?k=sk-live-123456' }]],
    };
    const out = redactOutgoing(redactor, message);
    expect(JSON.stringify(out)).not.toContain('sk-live-123456');
    expect(out.text).toBe('your key is [redacted]');
    const plain = { text: 'nothing secret' };
    expect(redactOutgoing(redactor, plain)).toBe(plain);
  });

  it('hides secrets from every message a model is sent, including ones learned later', async () => {
    const redactor = new Redactor();
    const seen: ChatRequest[] = [];
    const model: ChatModel = {
      provider: 'scripted',
      model: 'test',
      async chat(request) {
        seen.push(request);
        return {
          text: 'ok',
          toolCalls: [],
          usage: { inputTokens: 1, outputTokens: 1 },
          model: 'test',
        };
      },
    };
    const wrapped = redactingChatModel(redactor, model);
    expect(wrapped.provider).toBe('scripted');
    redactor.add('tok-abcdef');
    await wrapped.chat({
      messages: [
        { role: 'user', content: 'call it with tok-abcdef' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: '1', name: 'x', arguments: { header: 'Bearer tok-abcdef' } }],
        },
      ],
    });
    redactor.add('later-secret-999');
    await wrapped.chat({
      messages: [{ role: 'tool', content: 'later-secret-999', toolCallId: '1' }],
    });
    const text = JSON.stringify(seen);
    expect(text).not.toContain('tok-abcdef');
    expect(text).not.toContain('later-secret-999');
    expect(seen[0]?.messages[0]?.content).toBe('call it with [redacted]');
  });
});
