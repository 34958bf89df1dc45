import type { SkillRegistry } from '../skills/skill-registry';

const compiled = new WeakMap<SkillRegistry, Array<{ expression: RegExp; names: string[] }>>();

/**
 * The values a message carries in the named groups that skills' patterns mark as secret
 * (`"secret_arguments": ["token"]`, as in "connect API … token abc123"): the history keeps the
 * message without them, and they are hidden from logs, replies and the model from then on.
 */
export function secretArgumentsIn(text: string, registry: SkillRegistry): string[] {
  let patterns = compiled.get(registry);
  if (!patterns) {
    patterns = registry.skills.flatMap((skill) =>
      (skill.manifest.patterns ?? [])
        .filter((pattern) => pattern.secret_arguments?.length)
        .map((pattern) => ({
          expression: new RegExp(pattern.match, 'iu'),
          names: pattern.secret_arguments ?? [],
        })),
    );
    compiled.set(registry, patterns);
  }
  const values = new Set<string>();
  for (const { expression, names } of patterns) {
    const groups = expression.exec(text)?.groups;
    for (const name of names) {
      const value = groups?.[name];
      if (value) values.add(value);
    }
  }
  return [...values];
}

/** The text with each secret replaced by `[redacted]`. */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('[redacted]');
  return result;
}
