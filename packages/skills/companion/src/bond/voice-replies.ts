import type { BotContext, OutgoingMessage, ReplyTransform } from '@botwire/core';

/**
 * The text of a reply as it is read aloud: no emoji (a synthesizer spells their names), no
 * Markdown marks, and at most `maxLength` characters, cut after the last whole sentence that
 * fits (or the last word).
 */
export function spokenText(text: string, maxLength: number): string {
  const plain = text
    .replace(/\p{Extended_Pictographic}|\u{FE0F}|\u{200D}/gu, '')
    .replace(/[*_`~#>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= maxLength) return plain;
  const cut = plain.slice(0, maxLength);
  const sentence = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  if (sentence > maxLength / 2) return cut.slice(0, sentence + 1);
  const word = cut.lastIndexOf(' ');
  return word > 0 ? cut.slice(0, word) : cut;
}

/** True for a reply that is plain talk: text alone, nothing to show or pay. */
function isTalk(reply: OutgoingMessage): boolean {
  return (
    !reply.voice &&
    !reply.artifacts?.length &&
    !reply.invoice &&
    !reply.requestContact &&
    /[\p{L}\p{N}]/u.test(reply.text)
  );
}

/**
 * A reply change that adds a voice message read from the reply's text by the bot's text to
 * speech (OGG/Opus, a voice message on Telegram). A reply that is not plain talk is left as it
 * is; when speech fails (no espeak-ng, a service down) the text goes alone and the failure is
 * logged, so the user still gets an answer.
 */
export function voiceReplies(context: BotContext): ReplyTransform {
  return async (reply) => {
    const speech = context.services.speech?.();
    if (!speech || !isTalk(reply)) return reply;
    const text = spokenText(reply.text, speech.maxTextLength);
    if (!text) return reply;
    try {
      const spoken = await speech.synthesize({ text, language: context.locale.slice(0, 2) });
      return {
        ...reply,
        voice: {
          data: spoken.data,
          mimeType: spoken.mimeType,
          durationSeconds: spoken.durationSeconds,
        },
      };
    } catch (error) {
      context.log.warn('companion-voice-failed', { driver: speech.name, error });
      return reply;
    }
  };
}
