import { parseCommand } from '../messages/incoming-message';
import type { Middleware } from '../middleware/composer';
import type { BotContext } from './bot-context';

/** What {@link readBackgroundRequest} found in a message. */
export interface BackgroundRequest {
  /** The message without the words that ask for background work. */
  text: string;
  /** True when nothing but "do it"/"сделай это" was left: the work is the user's previous message. */
  refersBack: boolean;
}

const verbsRu = '(?:сделай|сделайте|выполни|выполните|запусти|запустите|делай|посчитай|подготовь)';
const verbsEn = '(?:do|run|make|handle|process|prepare)';
const objectRu = '(?:(?:это|всё\\s+это|все\\s+это|его|её|ее)\\s+)?';
const objectEn = '(?:(?:it|this|that|all\\s+this|all\\s+of\\s+this)\\s+)?';
const markerRu = `(?:${verbsRu}\\s+${objectRu})?(?:в\\s+фоне|в\\s+фоновом\\s+режиме|фоном|в\\s+фон)`;
const markerEn = `(?:${verbsEn}\\s+${objectEn})?(?:in\\s+(?:the\\s+)?background|as\\s+a\\s+background\\s+(?:job|task))`;
const marker = `(?:${markerRu}|${markerEn})(?![\\p{L}\\p{N}])`;
const joiner = '(?:,|;|:|—|-|\\.|\\s)*(?:(?:и|а|and|but|please|пожалуйста)\\b(?:,|\\s)*)?';

/** "…, в фоне", "… in the background please" at the end. */
const trailing = new RegExp(
  `(?:,|;|—|-|\\s)*(?:(?:и|а|and)\\s+)?${marker}(?:,?\\s*(?:please|пожалуйста))?[\\s.!]*$`,
  'iu',
);
/** "В фоне: …", "In the background, …" at the start. */
const leading = new RegExp(`^\\s*(?:please\\s+|пожалуйста,?\\s+)?${marker}${joiner}`, 'iu');
/** What is left when the user only said "do it in the background". */
const onlyReference =
  /^(?:(?:пожалуйста|please)\s*)?(?:(?:сделай|сделайте|выполни|запусти|делай|do|run)\s*)?(?:это|всё это|все это|его|её|ее|it|this|that)?[\s.!,]*$/iu;

/**
 * Reads a request for background work from a message: "найди отчёты и сделай pdf, в фоне",
 * "in the background: crawl the docs", "сделай это в фоне". Questions ("what runs in the
 * background?") are not requests. Returns undefined when there is none.
 */
export function readBackgroundRequest(text: string): BackgroundRequest | undefined {
  const trimmed = text.trim();
  if (!trimmed || trimmed.endsWith('?')) return undefined;
  let rest: string | undefined;
  const atEnd = trailing.exec(trimmed);
  if (atEnd) rest = trimmed.slice(0, atEnd.index);
  else {
    const atStart = leading.exec(trimmed);
    if (atStart) rest = trimmed.slice(atStart[0].length);
  }
  if (rest === undefined) return undefined;
  rest = rest.replace(/[\s,;:—-]+$/u, '').trim();
  if (onlyReference.test(rest)) return { text: '', refersBack: true };
  return { text: rest, refersBack: false };
}

/** The key in `context.state` where the request is left for the planner. */
export const backgroundStateKey = 'background';

/** True when the message asked for its work to be done in the background. */
export function backgroundRequested(context: BotContext): boolean {
  return context.state[backgroundStateKey] === true;
}

/**
 * A step of the chain before the planner: a message that asks for background work loses the
 * words that ask for it ("…, в фоне") and is marked, so the planner queues its plan instead of
 * running it while the user waits. "Сделай это в фоне" alone takes the user's previous message
 * as the work. Messages the bot runs from its job queue are never marked again.
 */
export function backgroundRequestStep(): Middleware<BotContext> {
  return async (context, next) => {
    const { message } = context;
    if (message.job || message.kind !== 'message' || !context.services.queueTask) return next();
    const request = readBackgroundRequest(message.text);
    if (!request) return next();
    let text = request.text;
    if (request.refersBack) {
      const records = await context.services.storage.messages.list(context.chat.id, { limit: 10 });
      const earlier = records
        .filter(
          (record) =>
            record.direction === 'in' &&
            record.platformMessageId !== message.platformMessageId &&
            !record.text.startsWith('[button]') &&
            readBackgroundRequest(record.text) === undefined,
        )
        .at(-1);
      if (!earlier) {
        await context.reply(context.t('background.what'));
        return;
      }
      text = earlier.text;
    }
    const command = parseCommand(text);
    const { command: _dropped, ...rest } = message;
    context.message = { ...rest, text, ...(command ? { command } : {}) };
    context.state[backgroundStateKey] = true;
    context.log.debug('background-requested', {});
    return next();
  };
}
