/**
 * @botwire/adapter-telegram/testing — a local Bot API peer for tests of bots and skills that
 * run on Telegram: updates by long polling, files by `getFile`, uploads parsed, errors on demand.
 * (The `telegram-test-api` emulator the adapter's own tests use is a dev dependency, not here.)
 */
export {
  type BotApiPeer,
  type PeerCall,
  type PeerError,
  startBotApiPeer,
  type UploadedFile,
} from './bot-api-peer';
