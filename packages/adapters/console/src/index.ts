import { consoleAdapter } from './console-adapter';

export { type ConsoleAdapterOptions, consoleAdapter } from './console-adapter';
export { attachPromptLine, type PromptLine, writeAbovePrompt } from './prompt-line';

/** The adapter factory, so configs can name it: `adapters: ["console"]`. */
export default consoleAdapter;
