/** `@botwire/skill-companion/bond`: the relationship points and levels, as a bot extension. */
export { type Bond, bondNamespace, readBond } from './bond-store';
export { type CompanionBondOptions, companionBond } from './companion-bond';
export { spokenText, voiceReplies } from './voice-replies';
