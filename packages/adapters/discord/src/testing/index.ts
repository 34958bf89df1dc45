/**
 * @botwire/adapter-discord/testing — a local Discord (REST API v10 and the WebSocket gateway)
 * for tests of bots on the Discord adapter and of discord.js code, without a network.
 */
export type { GatewayLog, IdentifyRecord } from './discord-gateway';
export {
  type PeerAttachment,
  type PeerMessage,
  type PeerUser,
  snowflake,
} from './discord-objects';
export {
  type ButtonPressInput,
  type CommandUseInput,
  type DiscordPeer,
  type DiscordPeerOptions,
  startDiscordPeer,
  type UserMessageInput,
} from './discord-peer';
export type {
  BotMessage,
  DiscordScriptEntry,
  PeerInteraction,
  RecordedDiscordRequest,
} from './discord-peer-state';
