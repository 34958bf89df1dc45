import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkJsonSchema,
  rememberValidator,
  type SchemaMode,
  validatorFromSource,
  validatorSource,
} from './json-schema';
import { skillManifestSchema } from './validate-manifest';

/** One compiled validator of a manifest's schemas, as ajv's standalone source. */
export interface CachedValidator {
  /** Where the schema sits in the manifest: `/tools/0/input_schema`, `/config_schema`. */
  pointer: string;
  mode: SchemaMode;
  source: string;
}

/** The handler module whose handlers were checked against the manifest, as the file was then. */
export interface CheckedModule {
  path: string;
  size: number;
  mtimeMs: number;
}

/** What a start-up remembers about a skill whose manifest passed every check. */
export interface SkillCacheEntry {
  /** Every validator of the manifest's schemas (input, output and config schemas). */
  validators: CachedValidator[];
  /** Set once the handler module was loaded and had a handler for every declared tool. */
  module?: CheckedModule;
}

const format = 1;

function versionOf(packageName: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${packageName}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

let fingerprint: string | undefined;

/**
 * What the validation depends on besides the manifest: this build of core (its checks and the
 * published skill.schema.json) and the ajv that wrote the validators. A new build of either
 * makes every entry miss, so every manifest is validated again.
 */
function validationFingerprint(): string {
  if (fingerprint === undefined) {
    let build = 'unknown';
    try {
      const stat = statSync(fileURLToPath(import.meta.url));
      build = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      // Not a file (a bundler's virtual module): the schema and ajv's version still count.
    }
    fingerprint = [
      format,
      build,
      versionOf('ajv'),
      versionOf('ajv-formats'),
      createHash('sha256').update(JSON.stringify(skillManifestSchema)).digest('hex'),
    ].join('\u0000');
  }
  return fingerprint;
}

/** Runs a clean-up step whose failure changes nothing that matters. */
function attempt(step: () => void): void {
  try {
    step();
  } catch {
    // A file another process removed first, or a directory that cannot be listed.
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Where the skill cache of a bot lives: `.cache/botwire` in the nearest node_modules folder at
 * or above the bot's folder (shared by every data directory, like other tools' caches), else
 * `cache` in the data directory.
 */
export function defaultSkillCacheDir(rootDir: string, dataDir: string): string {
  for (let directory = resolve(rootDir); ; directory = dirname(directory)) {
    const modules = join(directory, 'node_modules');
    if (existsSync(modules)) return join(modules, '.cache', 'botwire');
    if (dirname(directory) === directory) return join(dataDir, 'cache');
  }
}

/**
 * Remembers, between starts, which skill manifests passed validation, with their compiled
 * validators and the handler module that was checked: one file per manifest, named by the hash
 * of the manifest's text (and of its path, this build of core and ajv's version). A changed
 * manifest has another hash, so it is validated again; a file that is unreadable, truncated or
 * altered fails its checksum and is ignored, then rewritten. Writing is best-effort: a cache
 * directory that cannot be written only costs speed.
 */
export class SkillCache {
  /** The directory of the cache files. */
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  /**
   * The key of a skill.json: a hash of its path, then a hash of its path and text and of what
   * validation depends on. Entries of the same path share the first part.
   */
  key(manifestPath: string, manifestText: string): string {
    const content = sha256([validationFingerprint(), manifestPath, manifestText].join('\u0000'));
    return `${sha256(manifestPath).slice(0, 16)}-${content}`;
  }

  private fileOf(key: string): string {
    return join(this.directory, `skill-${key}.json`);
  }

  /** The entry for a key, or undefined when there is none or the file is not sound. */
  read(key: string): SkillCacheEntry | undefined {
    let text: string;
    try {
      text = readFileSync(this.fileOf(key), 'utf8');
    } catch {
      return undefined;
    }
    const newline = text.indexOf('\n');
    if (newline < 0) return undefined;
    const body = text.slice(newline + 1);
    if (text.slice(0, newline) !== sha256(body)) return undefined;
    try {
      const stored = JSON.parse(body) as { format?: unknown; key?: unknown; entry?: unknown };
      if (stored.format !== format || stored.key !== key) return undefined;
      return isEntry(stored.entry) ? stored.entry : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Stores an entry; the file appears whole or not at all. Entries for earlier versions of the
   * same skill.json are removed, so the cache does not grow with every edit. Returns false when
   * it could not be written.
   */
  write(key: string, entry: SkillCacheEntry): boolean {
    const body = JSON.stringify({ format, key, entry });
    const file = this.fileOf(key);
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(this.directory, { recursive: true });
      writeFileSync(temporary, `${sha256(body)}\n${body}`);
      renameSync(temporary, file);
    } catch {
      attempt(() => rmSync(temporary, { force: true }));
      return false;
    }
    const samePath = `skill-${key.slice(0, key.indexOf('-') + 1)}`;
    attempt(() => {
      for (const name of readdirSync(this.directory)) {
        const path = join(this.directory, name);
        if (name.startsWith(samePath) && name.endsWith('.json') && path !== file)
          rmSync(path, { force: true });
      }
    });
    return true;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isEntry(value: unknown): value is SkillCacheEntry {
  if (!isRecord(value) || !Array.isArray(value.validators)) return false;
  const validatorsSound = value.validators.every(
    (item) =>
      isRecord(item) &&
      typeof item.pointer === 'string' &&
      (item.mode === 'fill-defaults' || item.mode === 'check-only') &&
      typeof item.source === 'string',
  );
  const module = value.module;
  const moduleSound =
    module === undefined ||
    (isRecord(module) &&
      typeof module.path === 'string' &&
      typeof module.size === 'number' &&
      typeof module.mtimeMs === 'number');
  return validatorsSound && moduleSound;
}

/** The size and modification time of a handler module, to tell later whether it changed. */
export function checkedModule(path: string): CheckedModule | undefined {
  try {
    const stat = statSync(path);
    return { path, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

/** Whether the handler module at `path` is still the one the entry checked. */
export function moduleUnchanged(entry: SkillCacheEntry, path: string): boolean {
  const now = checkedModule(path);
  const then = entry.module;
  return (
    now !== undefined &&
    then !== undefined &&
    then.path === now.path &&
    then.size === now.size &&
    then.mtimeMs === now.mtimeMs
  );
}

/** Every schema of a manifest that the runtime validates with, and the mode it validates in. */
function schemasOf(
  manifest: unknown,
): Array<{ pointer: string; mode: SchemaMode; schema: unknown }> {
  if (!isRecord(manifest)) return [];
  const schemas: Array<{ pointer: string; mode: SchemaMode; schema: unknown }> = [];
  const tools = Array.isArray(manifest.tools) ? manifest.tools : [];
  tools.forEach((tool, index) => {
    if (!isRecord(tool)) return;
    const at = `/tools/${index}`;
    schemas.push({
      pointer: `${at}/input_schema`,
      mode: 'fill-defaults',
      schema: tool.input_schema,
    });
    if (tool.output_schema !== undefined)
      schemas.push({
        pointer: `${at}/output_schema`,
        mode: 'check-only',
        schema: tool.output_schema,
      });
  });
  if (manifest.config_schema !== undefined)
    schemas.push({
      pointer: '/config_schema',
      mode: 'fill-defaults',
      schema: manifest.config_schema,
    });
  return schemas;
}

/**
 * The sources of every validator of a manifest that passed validation (which compiled them), or
 * undefined when one of them cannot be written as standalone code (then nothing is cached).
 */
export function validatorsToCache(manifest: unknown): CachedValidator[] | undefined {
  const validators: CachedValidator[] = [];
  for (const { pointer, mode, schema } of schemasOf(manifest)) {
    const { validate } = checkJsonSchema(schema, mode);
    const source = validate && validatorSource(validate);
    if (!source) return undefined;
    validators.push({ pointer, mode, source });
  }
  return validators;
}

/**
 * Gives the manifest's schema objects their validators back from the cache, so that nothing is
 * compiled. All or nothing: false (and nothing remembered) when the cached validators do not
 * match the manifest's schemas or one does not evaluate.
 */
export function restoreValidators(manifest: unknown, validators: CachedValidator[]): boolean {
  const schemas = schemasOf(manifest);
  if (schemas.length !== validators.length) return false;
  const restored: Array<{
    schema: object;
    mode: SchemaMode;
    validate: ReturnType<typeof validatorFromSource>;
  }> = [];
  for (const [index, { pointer, mode, schema }] of schemas.entries()) {
    const cached = validators[index]!;
    if (cached.pointer !== pointer || cached.mode !== mode || !isRecord(schema)) return false;
    try {
      restored.push({ schema, mode, validate: validatorFromSource(cached.source) });
    } catch {
      return false;
    }
  }
  for (const { schema, mode, validate } of restored) rememberValidator(schema, mode, validate);
  return true;
}
