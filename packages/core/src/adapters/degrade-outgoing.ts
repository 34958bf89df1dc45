import type { IncomingMessage } from '../messages/incoming-message';
import type { Button, OutgoingMessage } from '../messages/outgoing-message';
import type { AdapterCapabilities } from '../ports/adapter';
import type { KeyValueStore } from '../ports/storage';
import { buttonsToNumberedOptions } from './numbered-options';

/** How long a numbered option stays answerable. */
const optionsTtlMs = 24 * 60 * 60 * 1000;
const namespace = 'runtime';

/**
 * Fits outgoing messages to what a messenger can show, and remembers per chat (in storage, so
 * a restart or a second process keeps it) what numbered options stood for, so that a reply of
 * `2` acts as a press of button 2 on a messenger with no buttons. Artifacts on a messenger with
 * no files become a list of their names and sizes.
 */
export class OutgoingDegrader {
  constructor(private readonly kv: KeyValueStore) {}

  /** The message as this messenger can show it; `chatKey` identifies the chat. */
  async degrade(
    capabilities: AdapterCapabilities,
    chatKey: string,
    message: OutgoingMessage,
  ): Promise<OutgoingMessage> {
    let outgoing = message;
    if (!capabilities.contactRequest && message.requestContact) {
      const { requestContact: _requestContact, ...rest } = outgoing;
      outgoing = rest;
    }
    if (!capabilities.payments && message.invoice) {
      const { invoice: _invoice, ...rest } = outgoing;
      outgoing = rest;
    }
    if (!capabilities.voice && outgoing.voice) {
      const { voice, ...rest } = outgoing;
      outgoing = {
        ...rest,
        artifacts: [
          ...(rest.artifacts ?? []),
          { name: 'voice.ogg', mimeType: voice.mimeType, data: voice.data },
        ],
      };
    }
    if (!capabilities.buttons && outgoing.buttons?.length) {
      const numbered = buttonsToNumberedOptions(outgoing);
      outgoing = numbered.message;
      await this.kv.set(namespace, optionsKey(chatKey), numbered.options, { ttlMs: optionsTtlMs });
    }
    if (!capabilities.files && outgoing.artifacts?.length) {
      const names = outgoing.artifacts
        .map((artifact) => `[${artifact.name}, ${artifact.data.byteLength} bytes]`)
        .join('\n');
      const { artifacts: _artifacts, ...rest } = outgoing;
      outgoing = { ...rest, text: `${outgoing.text}\n${names}` };
    }
    return outgoing;
  }

  /** A reply that picks a numbered option becomes a press of that button. */
  async resolveOption(
    capabilities: AdapterCapabilities,
    chatKey: string,
    message: IncomingMessage,
  ): Promise<IncomingMessage> {
    if (capabilities.buttons || message.kind !== 'message') return message;
    const match = /^\s*(\d{1,2})\s*$/.exec(message.text);
    if (!match) return message;
    const options = await this.kv.get<Button[]>(namespace, optionsKey(chatKey));
    const option = options?.[Number(match[1]) - 1];
    if (!option?.data) return message;
    // Only the first answer counts, also when two processes read the same options.
    if (!(await this.kv.delete(namespace, optionsKey(chatKey)))) return message;
    const { command: _command, ...rest } = message;
    return { ...rest, kind: 'button', buttonData: option.data, text: option.label };
  }
}

function optionsKey(chatKey: string): string {
  return `options:${chatKey}`;
}
