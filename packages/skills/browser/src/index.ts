/**
 * @botwire/skill-browser: a headless Chromium for Botwire bots. `browser_extract` returns the
 * rendered text of a page, `browser_screenshot` a PNG, `browser_pdf` the page as a PDF; every
 * request of the page goes through the bot's egress policy.
 */
import { createBrowserSkill } from './browser-tools';

export {
  BrowserPool,
  type BrowserPoolOptions,
  isolatedChromiumArgs,
  sharedBrowserPool,
} from './browser-pool';
export {
  type BrowserSkillConfig,
  type BrowserSkillOptions,
  browserSkillDefaults,
  createBrowserSkill,
} from './browser-tools';
export {
  type BlockedRequest,
  type GuardState,
  guardContext,
  type RequestEvent,
} from './guard-context';
export { normalizeUrl, type OpenPageOptions, withGuardedPage } from './open-page';
export type {
  BrowserExtractInput,
  BrowserPdfInput,
  BrowserScreenshotInput,
  SkillInputs,
} from './skill-types';
export { bridgeWebSocket } from './websocket-bridge';

/** The skill, on the process's shared browser: what `skill.json` loads. */
const skill = createBrowserSkill();
export default skill;
