import { BotwireError } from '../errors/botwire-error';
import type { ToolSecrets } from '../skills/define-skill';
import { allSkills, type SecretScope, type SecretStore } from './secret-store';

/**
 * A skill's secrets as its tools see them (`context.secrets`): the user's when `userId` is
 * given, else the skill's bot-wide ones. `get` falls back to the skill's bot-wide value, then to
 * the bot-wide value of every skill; `set` and `delete` change only the tool's own scope.
 */
export function toolSecrets(store: SecretStore, skill: string, userId?: string): ToolSecrets {
  if (skill === allSkills) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'A tool belongs to one skill, not to every skill (*).',
    });
  }
  const own: SecretScope = { skill, ...(userId !== undefined ? { user: userId } : {}) };
  const readable: SecretScope[] =
    userId === undefined ? [own, { skill: allSkills }] : [own, { skill }, { skill: allSkills }];
  return {
    async get(name) {
      for (const scope of readable) {
        const value = await store.get(scope, name);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    async set(name, value) {
      await store.set(own, name, value);
    },
    delete: (name) => store.delete(own, name),
    async list() {
      const names = new Set<string>();
      for (const scope of readable)
        for (const info of await store.list(scope)) names.add(info.name);
      return [...names].sort();
    },
  };
}
