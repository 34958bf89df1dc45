import type { IncomingMessage } from '../messages/incoming-message';
import type { Button, OutgoingMessage } from '../messages/outgoing-message';
import type { AdapterCapabilities } from '../ports/adapter';
import { buttonsToNumberedOptions } from './numbered-options';

/**
 * Fits outgoing messages to what a messenger can show, and remembers per chat what numbered
 * options stood for, so that a reply of `2` acts as a press of button 2 on a messenger with no
 * buttons. Artifacts on a messenger with no files become a list of their names and sizes.
 */
export class OutgoingDegrader {
  private readonly pendingOptions = new Map<string, Button[]>();

  /** The message as this messenger can show it; `chatKey` identifies the chat. */
  degrade(
    capabilities: AdapterCapabilities,
    chatKey: string,
    message: OutgoingMessage,
  ): OutgoingMessage {
    let outgoing = message;
    if (!capabilities.buttons && message.buttons?.length) {
      const numbered = buttonsToNumberedOptions(message);
      outgoing = numbered.message;
      this.pendingOptions.set(chatKey, numbered.options);
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
  resolveOption(chatKey: string, message: IncomingMessage): IncomingMessage {
    const options = this.pendingOptions.get(chatKey);
    if (!options || message.kind !== 'message') return message;
    const match = /^\s*(\d{1,2})\s*$/.exec(message.text);
    const option = match ? options[Number(match[1]) - 1] : undefined;
    if (!option?.data) return message;
    this.pendingOptions.delete(chatKey);
    const { command: _command, ...rest } = message;
    return { ...rest, kind: 'button', buttonData: option.data, text: option.label };
  }
}
