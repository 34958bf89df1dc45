import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AdapterEntry } from '../config/define-config';
import { BotwireError } from '../errors/botwire-error';
import type { Adapter } from '../ports/adapter';

/** `console` → `@botwire/adapter-console`; full package names and paths stay as written. */
export function adapterPackageName(name: string): string {
  return name.startsWith('@') || name.startsWith('.') || name.includes('/')
    ? name
    : `@botwire/adapter-${name}`;
}

/**
 * Turns the config's adapter entries into adapter objects. A name is imported from the
 * config's folder, and its default export (a factory) is called with the entry's options.
 */
export async function resolveAdapters(
  entries: readonly AdapterEntry[],
  rootDir: string,
): Promise<Adapter[]> {
  const adapters: Adapter[] = [];
  for (const entry of entries) {
    if (typeof entry === 'object' && 'start' in entry) {
      adapters.push(entry);
      continue;
    }
    const name = typeof entry === 'string' ? entry : entry.use;
    const options = typeof entry === 'string' ? {} : (entry.options ?? {});
    const packageName = adapterPackageName(name);
    let factory: unknown;
    try {
      const resolved = createRequire(join(rootDir, 'botwire.config.js')).resolve(packageName);
      const module = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
      factory = module.default ?? module.createAdapter;
    } catch (error) {
      throw new BotwireError('BOTWIRE_ADAPTER_NOT_FOUND', {
        message: `The adapter "${name}" (package ${packageName}) could not be loaded from ${rootDir}.`,
        hint: `Install it: pnpm add ${packageName}`,
        cause: error,
      });
    }
    if (typeof factory !== 'function') {
      throw new BotwireError('BOTWIRE_ADAPTER_NOT_FOUND', {
        message: `The package ${packageName} has no default export that creates an adapter.`,
      });
    }
    adapters.push((factory as (options: Record<string, unknown>) => Adapter)(options));
  }
  return adapters;
}
