import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineSkill, type ToolContext } from './define-skill';

/** What `botwire skills types` writes for a skill with two tools. */
interface SkillInputs {
  echo: { text: string; times: number };
  ping: Record<string, unknown>;
}

describe('defineSkill with generated inputs', () => {
  it("types each handler's input from SkillInputs (checked by the typecheck)", () => {
    const skill = defineSkill<SkillInputs>({
      tools: {
        echo: (input) => {
          expectTypeOf(input).toEqualTypeOf<{ text: string; times: number }>();
          return input.text.repeat(input.times);
        },
        ping: () => 'pong',
      },
    });
    expect(skill.tools.echo({ text: 'ab', times: 2 }, {} as ToolContext)).toBe('abab');
  });

  it('refuses a wrong input type, a missing handler and an extra one (checked by the typecheck)', () => {
    const wrong = defineSkill<SkillInputs>({
      tools: {
        // @ts-expect-error: text is a string, so it has no toFixed.
        echo: ({ text }) => text.toFixed(),
        ping: () => 'pong',
      },
    });
    // @ts-expect-error: the tool ping has no handler.
    const missing = defineSkill<SkillInputs>({ tools: { echo: ({ text }) => text } });
    const extra = defineSkill<SkillInputs>({
      tools: {
        echo: ({ text }) => text,
        ping: () => 'pong',
        // @ts-expect-error: skill.json declares no tool named other.
        other: () => 'not declared',
      },
    });
    expect(Object.keys(wrong.tools)).toEqual(['echo', 'ping']);
    expect(Object.keys(missing.tools)).toEqual(['echo']);
    expect(Object.keys(extra.tools)).toEqual(['echo', 'ping', 'other']);
  });

  it('leaves the handlers of a skill without SkillInputs untyped, as before', () => {
    const skill = defineSkill({
      tools: { echo: ({ text }, context) => `${text} ${context.locale}` },
    });
    expect(skill.tools.echo?.({ text: 'hi' }, { locale: 'de' } as ToolContext)).toBe('hi de');
  });
});
