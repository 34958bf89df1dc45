import { discordAdapter } from './discord-adapter';

export { type DiscordAdapterOptions, discordAdapter } from './discord-adapter';
export { slashCommandsOf } from './discord-commands';
export { splitDiscordText } from './discord-text';

/** The adapter factory, so configs can name it: `adapters: ["discord"]`. */
export default discordAdapter;
