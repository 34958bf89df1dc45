import type { Button, OutgoingMessage } from '../messages/outgoing-message';

/**
 * For messengers without buttons: appends the buttons as numbered options and returns
 * the data each number stands for, so that a reply of `2` can act as a press of button 2.
 */
export function buttonsToNumberedOptions(message: OutgoingMessage): {
  message: OutgoingMessage;
  options: Array<Button>;
} {
  const buttons = (message.buttons ?? []).flat();
  if (buttons.length === 0) return { message, options: [] };
  const lines = buttons.map((button, index) =>
    button.url ? `${index + 1}. ${button.label}: ${button.url}` : `${index + 1}. ${button.label}`,
  );
  const { buttons: _dropped, ...rest } = message;
  return {
    message: { ...rest, text: `${message.text}\n\n${lines.join('\n')}` },
    options: buttons,
  };
}
