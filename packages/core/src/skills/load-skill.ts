import { existsSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Problem } from '../errors/botwire-error';
import type { InlineSkill, SkillDefinition } from './define-skill';
import {
  type CheckedModule,
  checkedModule,
  moduleUnchanged,
  restoreValidators,
  type SkillCache,
  type SkillCacheEntry,
  validatorsToCache,
} from './skill-cache';
import type { SkillManifest } from './skill-manifest';
import {
  checkHandlers,
  findSkillModule,
  importSkillModule,
  isDefinition,
  lazyDefinition,
  type ResolvedSkill,
} from './skill-module';
import { parseManifestText, validateManifest } from './validate-manifest';

export type { ResolvedSkill } from './skill-module';

/** What {@link loadSkill} found: the manifest and handlers when they are sound, and every problem. */
export interface SkillLoadResult {
  /** The manifest, present only when it has no problems. */
  manifest?: SkillManifest;
  /** The handlers, present only when the module loaded and exported a skill definition. */
  definition?: SkillDefinition;
  /**
   * Imports the handler module on first call, checks it has every handler, and resolves with
   * them (rejects with BOTWIRE_SKILL_LOAD_FAILED otherwise). Present instead of `definition`
   * when the cache vouched for the module, so it was not loaded at start.
   */
  loadDefinition?: () => Promise<SkillDefinition>;
  root: string;
  /** The absolute path of skill.json, or `inline:<name>` for an inline skill. */
  manifestPath: string;
  /** The handler module that was loaded. */
  modulePath?: string;
  /** Every problem, each with `file` set (the manifest path, or the module for load failures). */
  problems: Problem[];
}

/** Options for {@link loadSkill}. */
export interface LoadSkillOptions {
  /** Paths and package names resolve from here: the directory of the bot's config. */
  baseDir: string;
  /** Load the handler module and check it has a handler for every declared tool (default true). */
  checkHandlers?: boolean;
  /**
   * Skip what an earlier start already checked: a skill.json whose hash is in the cache is not
   * validated again (its compiled validators come from the cache), and a handler module that is
   * unchanged since it was checked is imported on the first call of one of its tools instead of
   * now. Sound skills are written to the cache.
   */
  cache?: SkillCache;
}

const looksLikePath = (source: string) =>
  source.startsWith('.') || isAbsolute(source) || /^[A-Za-z]:[\\/]/.test(source);

const notFound = (message: string, file?: string): Problem => ({
  path: '',
  code: 'BOTWIRE_SKILL_NOT_FOUND',
  message,
  ...(file ? { file } : {}),
});

/**
 * Finds a skill's skill.json. A path (`./skills/notes`, absolute, or the skill.json itself)
 * resolves from `baseDir`; anything else is a package name, resolved like `import` would from
 * `baseDir` (`<name>/skill.json`, else the directory of `<name>/package.json`).
 */
export function resolveSkill(source: string, baseDir: string): ResolvedSkill | Problem {
  let manifestPath: string | undefined;
  if (looksLikePath(source)) {
    const target = resolve(baseDir, source);
    if (!existsSync(target))
      return notFound(`skill path "${source}" does not exist (looked for ${target})`);
    manifestPath = statSync(target).isDirectory() ? join(target, 'skill.json') : target;
    if (!existsSync(manifestPath))
      return notFound(`the skill directory ${target} has no skill.json`);
  } else {
    const root = resolvePackageRoot(source, baseDir);
    if (!root) {
      const local = existsSync(join(baseDir, source))
        ? `; for the local directory write "./${source}"`
        : '';
      return notFound(
        `package "${source}" is not installed where the config is (${baseDir}): run \`pnpm add ${source}\`${local}`,
      );
    }
    manifestPath = join(root, 'skill.json');
    if (!existsSync(manifestPath)) {
      return notFound(
        `package "${source}" (${root}) has no skill.json at its root, so it is not a Botwire skill`,
      );
    }
  }
  manifestPath = realpathSync(manifestPath);
  const root = dirname(manifestPath);
  const packageJsonPath = join(root, 'package.json');
  return existsSync(packageJsonPath)
    ? { root, manifestPath, packageJsonPath }
    : { root, manifestPath };
}

function resolvePackageRoot(name: string, baseDir: string): string | undefined {
  const require = createRequire(join(baseDir, '__botwire_resolve__.js'));
  for (const file of ['skill.json', 'package.json']) {
    try {
      return dirname(require.resolve(`${name}/${file}`));
    } catch {
      // Not exported, or not installed: try the next way.
    }
  }
  // Packages whose `exports` hide both files: look in every node_modules folder Node would.
  for (const directory of require.resolve.paths(name) ?? []) {
    const candidate = join(directory, name);
    if (existsSync(join(candidate, 'package.json')) || existsSync(join(candidate, 'skill.json')))
      return candidate;
  }
  return undefined;
}

/** Reads and validates a skill.json; `value` is the parsed JSON even when it has problems. */
export async function readManifest(
  manifestPath: string,
  cache?: SkillCache,
): Promise<{
  value?: unknown;
  problems: Problem[];
  cached?: { key: string; entry?: SkillCacheEntry };
}> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    return {
      problems: [
        notFound(`cannot read ${manifestPath}: ${(error as Error).message}`, manifestPath),
      ],
    };
  }
  const parsed = parseManifestText(text, manifestPath);
  if (parsed.problems.length) return parsed;
  if (!cache) {
    return {
      value: parsed.value,
      problems: validateManifest(parsed.value, { file: manifestPath }),
    };
  }
  const key = cache.key(manifestPath, text);
  const entry = cache.read(key);
  // Only sound manifests are cached, with the validators their validation compiled.
  if (entry && restoreValidators(parsed.value, entry.validators)) {
    return { value: parsed.value, problems: [], cached: { key, entry } };
  }
  return {
    value: parsed.value,
    problems: validateManifest(parsed.value, { file: manifestPath }),
    cached: { key },
  };
}

/**
 * Resolves, reads and validates one skill, then loads its handler module and checks that every
 * declared tool has a handler. Never throws for a broken skill: the result lists the problems.
 *
 * @example
 * const result = await loadSkill('./skills/notes', { baseDir: process.cwd() });
 * if (result.problems.length) console.error(result.problems);
 */
export async function loadSkill(
  source: string | InlineSkill,
  options: LoadSkillOptions,
): Promise<SkillLoadResult> {
  if (typeof source !== 'string') return loadInlineSkill(source, options.baseDir);
  const resolved = resolveSkill(source, options.baseDir);
  if ('code' in resolved) {
    return {
      root: options.baseDir,
      manifestPath: source,
      problems: [{ ...resolved, file: resolved.file ?? source }],
    };
  }
  const { root, manifestPath } = resolved;
  const { cache } = options;
  const { value, problems, cached } = await readManifest(manifestPath, cache);
  const result: SkillLoadResult = { root, manifestPath, problems };
  if (value === undefined) return result;
  if (problems.length === 0) result.manifest = value as SkillManifest;
  const remember = (checked?: CheckedModule) => {
    if (!cache || !cached || problems.length) return;
    const validators = cached.entry?.validators ?? validatorsToCache(value);
    if (validators)
      cache.write(cached.key, { validators, ...(checked ? { module: checked } : {}) });
  };
  if (options.checkHandlers === false) {
    if (!cached?.entry) remember();
    return result;
  }

  const found = await findSkillModule(resolved, (value as { entry?: unknown } | null)?.entry);
  if ('problem' in found) {
    problems.push(found.problem);
    return result;
  }
  const { modulePath } = found;
  result.modulePath = modulePath;
  if (cached?.entry && moduleUnchanged(cached.entry, modulePath)) {
    result.loadDefinition = lazyDefinition(value, { manifestPath, modulePath });
    return result;
  }
  // The file as it is before the import: a change made meanwhile is checked at the next start.
  const checked = cache ? checkedModule(modulePath) : undefined;
  const definition = await importSkillModule(modulePath);
  if ('code' in definition) {
    problems.push(definition);
    return result;
  }
  problems.push(...checkHandlers(value, definition, { manifestPath, modulePath }));
  if (problems.length === 0) result.definition = definition;
  remember(checked);
  return result;
}

function loadInlineSkill(source: InlineSkill, baseDir: string): SkillLoadResult {
  const name = (source?.manifest as { name?: unknown } | undefined)?.name;
  const manifestPath = `inline:${typeof name === 'string' ? name : 'skill'}`;
  const problems = validateManifest(source?.manifest, { file: manifestPath });
  const result: SkillLoadResult = { root: baseDir, manifestPath, problems };
  if (problems.length === 0) result.manifest = source.manifest;
  if (!isDefinition(source?.definition)) {
    problems.push({
      path: '',
      code: 'BOTWIRE_SKILL_LOAD_FAILED',
      message:
        'an inline skill needs a definition: { manifest, definition: defineSkill({ tools: { ... } }) }',
      file: manifestPath,
    });
    return result;
  }
  problems.push(...checkHandlers(source.manifest, source.definition, { manifestPath }));
  if (problems.length === 0) result.definition = source.definition;
  return result;
}
