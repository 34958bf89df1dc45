import { BotwireError } from '../errors/botwire-error';
import type { SpeechRequest } from '../ports/speech-synthesizer';

/**
 * The text of a speech request, trimmed and checked as every driver must before any work: an
 * empty one fails with BOTWIRE_INVALID_ARGUMENT, one over `maxTextLength` with
 * BOTWIRE_SPEECH_TEXT_TOO_LONG (naming the driver), an aborted signal with its reason.
 *
 * @example
 * const text = speechText(request, 4096, 'OpenAI speech');
 */
export function speechText(request: SpeechRequest, maxTextLength: number, driver: string): string {
  request.signal?.throwIfAborted();
  const text = typeof request.text === 'string' ? request.text.trim() : '';
  if (!text)
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message: 'Speech needs a text to read.' });
  if (text.length > maxTextLength)
    throw new BotwireError('BOTWIRE_SPEECH_TEXT_TOO_LONG', {
      message: `The text has ${text.length} characters; ${driver} reads at most ${maxTextLength} at once.`,
    });
  return text;
}
