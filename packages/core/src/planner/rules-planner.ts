import { writtenInScriptOf } from '../i18n/locale-script';
import { type Locale, normalizeLocale } from '../i18n/translate';
import type { CommandCall } from '../messages/incoming-message';
import type { SkillRegistry } from '../skills/skill-registry';
import type { Plan } from './plan';

/** A skill's pattern, compiled once at start-up. */
export interface CompiledPattern {
  skill: string;
  tool: string;
  expression: RegExp;
  /** The language the pattern is written in; undefined: any. */
  locale?: Locale;
  fixed: Record<string, unknown>;
  /** A message the pattern understands, for /help and hints. */
  example?: string;
  /** A conversation of the skill the pattern starts instead of running its tool. */
  conversation?: string;
}

/** Compiles every skill's plain-language patterns, in config order. */
export function compilePatterns(registry: SkillRegistry): CompiledPattern[] {
  return registry.skills.flatMap((skill) =>
    (skill.manifest.patterns ?? []).map((pattern) => ({
      skill: skill.manifest.name,
      tool: pattern.tool,
      expression: new RegExp(pattern.match, 'iu'),
      ...(pattern.locale ? { locale: normalizeLocale(pattern.locale) } : {}),
      fixed: pattern.arguments ?? {},
      ...(pattern.example ? { example: pattern.example } : {}),
      ...(pattern.conversation ? { conversation: pattern.conversation } : {}),
    })),
  );
}

/** A one-step plan for a skill's slash command, or undefined when no skill has the command. */
export function planForCommand(registry: SkillRegistry, call: CommandCall): Plan | undefined {
  const entry = registry.getCommand(call.name);
  if (!entry) return undefined;
  let args: Record<string, unknown> = { ...(entry.command.arguments ?? {}) };
  if (entry.command.argument) {
    if (call.argument) args = { ...args, [entry.command.argument]: call.argument };
  } else if (call.argument.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(call.argument);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        args = { ...args, ...(parsed as Record<string, unknown>) };
    } catch {
      // Not JSON: the command takes no text, so the text is ignored.
    }
  }
  return {
    steps: [{ id: 's1', tool: entry.tool.name, arguments: args }],
    final: 'last_step',
    source: 'command',
  };
}

/**
 * The patterns worth trying on a message, best first. A pattern in a language is tried when
 * the message has letters of that language's script or the user's locale is that language,
 * so "what is the weather in Paris?" reaches English patterns for a Russian-speaking user and
 * a German pattern is tried on German text; Cyrillic patterns are not tried on Latin text.
 * The user's own language (and patterns of no language) come first, in config order.
 */
export function patternsForMessage(
  patterns: readonly CompiledPattern[],
  text: string,
  locale: Locale,
): CompiledPattern[] {
  const own: CompiledPattern[] = [];
  const others: CompiledPattern[] = [];
  for (const pattern of patterns) {
    if (!pattern.locale || pattern.locale === locale) own.push(pattern);
    else if (writtenInScriptOf(text, pattern.locale)) others.push(pattern);
  }
  return [...own, ...others];
}

/**
 * A one-step plan for the first pattern the whole text matches (see {@link patternsForMessage}),
 * or undefined. For a pattern that starts a conversation, the plan names it (`conversation`).
 */
export function planForPattern(
  patterns: readonly CompiledPattern[],
  text: string,
  locale: Locale,
): (Plan & { conversation?: string }) | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  for (const pattern of patternsForMessage(patterns, trimmed, normalizeLocale(locale))) {
    const match = pattern.expression.exec(trimmed);
    if (!match) continue;
    const groups = Object.fromEntries(
      Object.entries(match.groups ?? {})
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, value.trim()]),
    );
    return {
      steps: [{ id: 's1', tool: pattern.tool, arguments: { ...pattern.fixed, ...groups } }],
      final: 'last_step',
      source: 'pattern',
      ...(pattern.conversation ? { conversation: pattern.conversation } : {}),
    };
  }
  return undefined;
}
