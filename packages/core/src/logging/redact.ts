import type { OutgoingMessage } from '../messages/outgoing-message';
import type { ChatModel, ChatRequest } from '../ports/chat-model';

const secretKeyPattern =
  /(token|secret|password|passwd|api[_-]?key|authorization|cookie|credential|private[_-]?key)/i;

/**
 * Remembers secret values and removes them from anything before it is logged.
 * Values of keys that look secret (`token`, `apiKey`, `password`, ...) are hidden too.
 */
export class Redactor {
  private readonly values = new Set<string>();

  /** Adds values to hide. Values shorter than 4 characters are ignored (too many false hits). */
  add(...values: Array<string | undefined>): void {
    for (const value of values) if (value && value.length >= 4) this.values.add(value);
  }

  /** Adds the values of environment variables whose names look secret. */
  addFromEnvironment(env: NodeJS.ProcessEnv = process.env): void {
    for (const [name, value] of Object.entries(env)) {
      // Names, not secrets: which key is active.
      if (name === 'BOTWIRE_SECRET_ACTIVE_KEY') continue;
      if (!secretKeyPattern.test(name)) continue;
      this.add(value);
      // kid:base64key,kid2:base64key — each key on its own, in case one is printed alone.
      if (name === 'BOTWIRE_SECRET_KEYS')
        for (const entry of value?.split(',') ?? [])
          this.add(entry.split(':').slice(1).join(':').trim());
    }
  }

  /** Hides every known secret inside a string. */
  redactText(text: string): string {
    let result = text;
    for (const value of this.values)
      if (result.includes(value)) result = result.split(value).join('[redacted]');
    return result;
  }

  /** A deep copy of `value` with secrets hidden; safe to serialize. */
  redact(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 8) return '[deep]';
    if (value instanceof Error) {
      return {
        name: value.name,
        message: this.redactText(value.message),
        ...this.redactObject(value, depth),
      };
    }
    if (Array.isArray(value)) return value.map((item) => this.redact(item, depth + 1));
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
    return this.redactObject(value as Record<string, unknown>, depth);
  }

  private redactObject(value: object, depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'raw') continue;
      result[key] =
        secretKeyPattern.test(key) && item != null ? '[redacted]' : this.redact(item, depth + 1);
    }
    return result;
  }
}

/**
 * A message on its way to a user with every known secret hidden: its text and its buttons'
 * labels and links. The same object when nothing was hidden.
 */
export function redactOutgoing(redactor: Redactor, message: OutgoingMessage): OutgoingMessage {
  const text = redactor.redactText(message.text);
  const buttons = message.buttons?.map((row) =>
    row.map((button) => ({
      ...button,
      label: redactor.redactText(button.label),
      ...(button.url !== undefined ? { url: redactor.redactText(button.url) } : {}),
    })),
  );
  const changed =
    text !== message.text || JSON.stringify(buttons) !== JSON.stringify(message.buttons);
  return changed ? { ...message, text, ...(buttons ? { buttons } : {}) } : message;
}

/**
 * A chat model with every known secret hidden from what it is sent: the messages, and the
 * arguments of earlier tool calls. Secrets learned later (a user sets one mid-conversation) are
 * hidden from the next call on.
 */
export function redactingChatModel(redactor: Redactor, model: ChatModel): ChatModel {
  const chat = (request: ChatRequest) =>
    model.chat({
      ...request,
      messages: request.messages.map((message) => ({
        ...message,
        content: redactor.redactText(message.content),
        ...(message.toolCalls
          ? {
              toolCalls: message.toolCalls.map((call) => ({
                ...call,
                arguments: redactor.redact(call.arguments) as typeof call.arguments,
              })),
            }
          : {}),
      })),
    });
  return new Proxy(model, {
    get(target, property, receiver) {
      if (property === 'chat') return chat;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
