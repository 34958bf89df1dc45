import { telegramAdapter } from './telegram-adapter';

export { menuCommands, publishCommandMenu } from './command-menu';
export {
  backoffDelay,
  type ConnectRetryOptions,
  isTransientTelegramError,
  type ResolvedConnectRetry,
  resolveConnectRetry,
} from './connect-backoff';
export { type FileDownloadOptions, fileDownloader } from './file-download';
export { escapeHtml, markdownToTelegramHtml, telegramHtmlToPlain } from './markdown-html';
export {
  maxCaptionLength,
  maxTextLength,
  type SendOptions,
  sendOutgoing,
  textParts,
} from './send-outgoing';
export { SendThrottle, type ThrottleOptions, throttleTransformer } from './send-throttle';
export { splitTelegramHtml } from './split-html';
export {
  describeTelegramError,
  type TelegramAdapter,
  telegramAdapter,
} from './telegram-adapter';
export {
  type ResolvedTelegramOptions,
  resolveTelegramOptions,
  type TelegramAdapterOptions,
} from './telegram-options';
export {
  type Downloader,
  type IncomingOptions,
  updateQueueKey,
  updateToIncoming,
} from './to-incoming';
export { UpdateInbox, type UpdateInboxOptions } from './update-inbox';
export { mountWebhook, secretHeader, type WebhookOptions } from './webhook';

/** The adapter factory, so configs can name it: `adapters: ["telegram"]`. */
export default telegramAdapter;
