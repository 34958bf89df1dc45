import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { BotwireError, type Problem } from '../errors/botwire-error';
import type { SkillDefinition } from './define-skill';

/** Where a skill's files are. */
export interface ResolvedSkill {
  /** The directory of skill.json. */
  root: string;
  /** The absolute path of skill.json. */
  manifestPath: string;
  /** The package.json beside skill.json, when the skill is a package. */
  packageJsonPath?: string;
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

/** Whether a module's export looks like a skill definition: `{ tools: { ... } }`. */
export const isDefinition = (value: unknown): value is SkillDefinition =>
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
 * Imports a handler module that an earlier start checked, on the first call: once, and checked
 * again, since a module it imports may have changed since.
 */
export function lazyDefinition(
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
