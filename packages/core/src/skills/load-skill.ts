import { existsSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { BotwireError, type Problem } from '../errors/botwire-error';
import type { InlineSkill, SkillDefinition } from './define-skill';
import {
  checkedModule,
  moduleUnchanged,
  restoreValidators,
  type SkillCache,
  type SkillCacheEntry,
  validatorsToCache,
} from './skill-cache';
import type { SkillManifest } from './skill-manifest';
import { parseManifestText, validateManifest } from './validate-manifest';

/** Where a skill's files are. */
export interface ResolvedSkill {
  /** The directory of skill.json. */
  root: string;
  /** The absolute path of skill.json. */
  manifestPath: string;
  /** The package.json beside skill.json, when the skill is a package. */
  packageJsonPath?: string;
}

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

const moduleCandidates = ['index.ts', 'index.js', 'src/index.ts', 'dist/index.js'];

function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (Array.isArray(exports)) {
    for (const item of exports) {
      const target = exportTarget(item);
      if (target) return target;
    }
    return undefined;
  }
  if (typeof exports !== 'object' || exports === null) return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return exportTarget(map['.']);
  if (Object.keys(map).some((key) => key.startsWith('.'))) return undefined;
  for (const condition of ['import', 'node', 'default', 'require']) {
    const target = condition in map ? exportTarget(map[condition]) : undefined;
    if (target) return target;
  }
  return undefined;
}

/**
 * The module that holds a skill's handlers: the manifest's `entry`, else the package's entry
 * (`exports`, then `main`) when that file exists, else the first of index.ts, index.js,
 * src/index.ts and dist/index.js.
 */
export async function findSkillModule(
  resolved: ResolvedSkill,
  entry: unknown,
): Promise<{ modulePath: string } | { problem: Problem }> {
  const { root, manifestPath } = resolved;
  if (typeof entry === 'string') {
    const modulePath = resolve(root, entry);
    if (existsSync(modulePath)) return { modulePath };
    return {
      problem: {
        path: '/entry',
        code: 'BOTWIRE_SKILL_LOAD_FAILED',
        message: `entry "${entry}" does not exist (looked for ${modulePath}); fix the path, relative to skill.json`,
        file: manifestPath,
      },
    };
  }
  if (resolved.packageJsonPath) {
    try {
      const packageJson = JSON.parse(await readFile(resolved.packageJsonPath, 'utf8')) as Record<
        string,
        unknown
      >;
      const target =
        exportTarget(packageJson.exports) ??
        (typeof packageJson.main === 'string' ? packageJson.main : undefined);
      if (target && existsSync(resolve(root, target)) && statSync(resolve(root, target)).isFile()) {
        return { modulePath: resolve(root, target) };
      }
    } catch {
      // A broken package.json is npm's business; fall back to the usual file names.
    }
  }
  for (const candidate of moduleCandidates) {
    const modulePath = join(root, candidate);
    if (existsSync(modulePath)) return { modulePath };
  }
  return {
    problem: {
      path: '',
      code: 'BOTWIRE_SKILL_LOAD_FAILED',
      message: `no handler module found in ${root}: set "entry" in skill.json (such as "src/index.ts") or add one of ${moduleCandidates.join(', ')}`,
      file: manifestPath,
    },
  };
}

let jiti: ReturnType<typeof createJiti> | undefined;

const isDefinition = (value: unknown): value is SkillDefinition =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { tools?: unknown }).tools === 'object' &&
  (value as { tools?: unknown }).tools !== null;

/** Imports a skill module (TypeScript or JavaScript) and returns its default export, or its `skill` export. */
export async function importSkillModule(modulePath: string): Promise<SkillDefinition | Problem> {
  jiti ??= createJiti(import.meta.url);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await jiti.import(modulePath)) as Record<string, unknown>;
  } catch (error) {
    return {
      path: '',
      code: 'BOTWIRE_SKILL_LOAD_FAILED',
      message: `the skill module could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      file: modulePath,
    };
  }
  for (const candidate of [loaded?.default, loaded?.skill, loaded]) {
    if (isDefinition(candidate)) return candidate;
  }
  return {
    path: '',
    code: 'BOTWIRE_SKILL_LOAD_FAILED',
    message:
      'the skill module exports no skill: `export default defineSkill({ tools: { ... } })` (or a named export `skill`)',
    file: modulePath,
  };
}

/** One problem per declared tool without a handler, and per handler of an undeclared tool. */
export function checkHandlers(
  manifest: unknown,
  definition: SkillDefinition,
  files: { manifestPath: string; modulePath?: string },
): Problem[] {
  const problems: Problem[] = [];
  const tools = Array.isArray((manifest as { tools?: unknown })?.tools)
    ? (manifest as { tools: unknown[] }).tools
    : [];
  const declared = new Set<string>();
  const where = files.modulePath
    ? relative(dirname(files.manifestPath), files.modulePath) || files.modulePath
    : 'the skill definition';
  tools.forEach((tool, index) => {
    const name = (tool as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    declared.add(name);
    if (typeof definition.tools[name] !== 'function') {
      problems.push({
        path: `/tools/${index}`,
        code: 'BOTWIRE_SKILL_HANDLER_MISSING',
        message: `tool "${name}" has no handler: add \`${name}: async (input, context) => ...\` to the tools of defineSkill() in ${where}`,
        file: files.manifestPath,
      });
    }
  });
  for (const name of Object.keys(definition.tools)) {
    if (declared.has(name)) continue;
    problems.push({
      path: '/tools',
      code: 'BOTWIRE_SKILL_HANDLER_EXTRA',
      message: `${where} has a handler "${name}" that skill.json does not declare: declare the tool under "tools" or remove the handler`,
      file: files.manifestPath,
    });
  }
  return problems;
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
  const remember = (module?: string) => {
    if (!cache || !cached || problems.length) return;
    const validators = cached.entry?.validators ?? validatorsToCache(value);
    const checked = module ? checkedModule(module) : undefined;
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
  const definition = await importSkillModule(modulePath);
  if ('code' in definition) {
    problems.push(definition);
    return result;
  }
  problems.push(...checkHandlers(value, definition, { manifestPath, modulePath }));
  if (problems.length === 0) result.definition = definition;
  remember(modulePath);
  return result;
}

/**
 * Imports a handler module that an earlier start checked, on the first call: once, and checked
 * again, since a module it imports may have changed since.
 */
function lazyDefinition(
  manifest: unknown,
  files: { manifestPath: string; modulePath: string },
): () => Promise<SkillDefinition> {
  let loading: Promise<SkillDefinition> | undefined;
  const load = async (): Promise<SkillDefinition> => {
    const definition = await importSkillModule(files.modulePath);
    const problems =
      'code' in definition ? [definition] : checkHandlers(manifest, definition, files);
    if ('code' in definition || problems.length) {
      throw new BotwireError('BOTWIRE_SKILL_LOAD_FAILED', {
        message: `The handlers of the skill in ${files.manifestPath} could not be loaded: ${problems.map((problem) => problem.message).join('; ')}`,
        problems,
        hint: 'Run `botwire skills validate <dir>` on the skill, fix it and restart the bot.',
      });
    }
    return definition;
  };
  return () => {
    loading ??= load();
    return loading;
  };
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
