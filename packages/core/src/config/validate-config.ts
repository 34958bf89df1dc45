import { validateEgressConfig } from '../egress/egress-config';
import type { Problem } from '../errors/botwire-error';
import { checkTimezone } from '../scheduler/zoned-time';
import { permissions } from '../skills/skill-manifest';
import { limitSubjects, roleLimitNames } from '../usage/usage-limits';

const knownFields = [
  'name',
  'dataDir',
  'locale',
  'defaultTimezone',
  'access',
  'allow',
  'limits',
  'model',
  'embeddings',
  'vectors',
  'queue',
  'sequencer',
  'sandbox',
  'images',
  'transcriber',
  'speech',
  'planner',
  'http',
  'egress',
  'storage',
  'adapters',
  'skills',
  'middleware',
  'chain',
  'conversations',
  'extensions',
  'persona',
  'log',
];
const logLevels = ['debug', 'info', 'warn', 'error', 'silent'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a bot config and returns every problem, each naming its field (`skills[1].permissions[0]`).
 * An empty list means the config is valid.
 */
export function validateConfig(config: unknown): Problem[] {
  const problems: Problem[] = [];
  const problem = (path: string, message: string) =>
    problems.push({ path, code: 'BOTWIRE_CONFIG_FIELD_INVALID', message });
  if (!isObject(config)) {
    problem('', 'the config must be an object: export default defineConfig({ ... })');
    return problems;
  }
  for (const field of Object.keys(config)) {
    if (!knownFields.includes(field)) {
      const near = knownFields.find((known) => known.toLowerCase() === field.toLowerCase());
      problem(
        field,
        `unknown field "${field}"${near ? `; did you mean "${near}"?` : `; known fields: ${knownFields.join(', ')}`}`,
      );
    }
  }
  const optionalString = (field: string) => {
    if (config[field] !== undefined && (typeof config[field] !== 'string' || config[field] === ''))
      problem(field, `${field} must be a non-empty string`);
  };
  optionalString('name');
  optionalString('dataDir');
  optionalString('persona');
  optionalString('defaultTimezone');
  if (typeof config.defaultTimezone === 'string' && config.defaultTimezone !== '') {
    try {
      checkTimezone(config.defaultTimezone);
    } catch {
      problem(
        'defaultTimezone',
        `defaultTimezone "${config.defaultTimezone}" is not a time zone: use an IANA name such as "Europe/Moscow" or an offset such as "UTC+03:00"`,
      );
    }
  }
  if (
    config.locale !== undefined &&
    (typeof config.locale !== 'string' ||
      !/^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})*$/.test(config.locale))
  )
    problem('locale', 'locale must be a language tag such as "en", "ru" or "de"');
  if (config.access !== undefined && config.access !== 'owner' && config.access !== 'open') {
    problem(
      'access',
      'access must be "owner" (only the owner and admitted users) or "open" (everyone)',
    );
  }
  if (config.allow !== undefined) {
    if (!Array.isArray(config.allow))
      problem('allow', 'allow must be a list such as ["telegram:123456"]');
    else
      config.allow.forEach((entry, index) => {
        if (typeof entry !== 'string' || !/^(usr_[0-9A-Za-z]+|[a-z][a-z0-9-]*:.+)$/.test(entry)) {
          problem(
            `allow[${index}]`,
            `"${String(entry)}" is neither a platform identity such as "telegram:123456" nor a user id such as "usr_01J..."`,
          );
        }
      });
  }
  if (config.limits !== undefined) validateLimits(config.limits, problem);
  validateModel(config.model, problem);
  validateHttp(config.http, problem);
  problems.push(...validateEgressConfig(config.egress));
  if (config.planner !== undefined) {
    if (!isObject(config.planner))
      problem('planner', 'planner must be an object such as { mode: "auto" }');
    else {
      const { mode, historyTokens, factTokens } = config.planner;
      if (
        factTokens !== undefined &&
        !(Number.isInteger(factTokens) && (factTokens as number) >= 0)
      ) {
        problem(
          'planner.factTokens',
          'planner.factTokens must be a whole number of tokens, 0 or more',
        );
      }
      if (mode !== undefined && !['auto', 'plan', 'step-by-step'].includes(String(mode))) {
        problem('planner.mode', 'planner.mode must be "auto", "plan" or "step-by-step"');
      }
      if (
        historyTokens !== undefined &&
        !(Number.isInteger(historyTokens) && (historyTokens as number) >= 0)
      ) {
        problem(
          'planner.historyTokens',
          'planner.historyTokens must be a whole number of tokens, 0 or more',
        );
      }
    }
  }
  const vectors = config.vectors;
  if (
    vectors !== undefined &&
    vectors !== 'embedded' &&
    !(
      isObject(vectors) &&
      typeof vectors.query === 'function' &&
      typeof vectors.upsert === 'function'
    )
  ) {
    problem(
      'vectors',
      'vectors must be "embedded" or a vector index object such as qdrantVectorIndex({ url })',
    );
  }
  validateEmbeddings(config.embeddings, problem);
  const queue = config.queue;
  if (
    queue !== undefined &&
    queue !== 'embedded' &&
    !(isObject(queue) && typeof queue.add === 'function' && typeof queue.process === 'function')
  ) {
    problem(
      'queue',
      'queue must be "embedded" or a job queue object such as bullmqJobQueue({ url })',
    );
  }
  const sequencer = config.sequencer;
  if (
    sequencer !== undefined &&
    sequencer !== 'storage' &&
    sequencer !== 'none' &&
    !(
      isObject(sequencer) &&
      typeof sequencer.enter === 'function' &&
      typeof sequencer.turn === 'function' &&
      typeof sequencer.leave === 'function'
    )
  ) {
    problem(
      'sequencer',
      'sequencer must be "storage", "none" or a chat sequencer object such as redisChatSequencer({ url })',
    );
  }
  const sandbox = config.sandbox;
  if (
    sandbox !== undefined &&
    !(isObject(sandbox) && typeof sandbox.run === 'function' && typeof sandbox.close === 'function')
  ) {
    problem(
      'sandbox',
      'sandbox must be a code sandbox object such as dockerSandbox() or pyodideSandbox()',
    );
  }
  if (
    config.images !== undefined &&
    !(isObject(config.images) && typeof config.images.generate === 'function')
  )
    problem('images', 'images must be an image generator such as falImageGenerator({ ... })');
  if (
    config.transcriber !== undefined &&
    !(isObject(config.transcriber) && typeof config.transcriber.transcribe === 'function')
  )
    problem('transcriber', 'transcriber must be a transcriber such as openaiTranscriber({ ... })');
  if (
    config.speech !== undefined &&
    !(isObject(config.speech) && typeof config.speech.synthesize === 'function')
  )
    problem(
      'speech',
      'speech must be a speech synthesizer such as openaiSpeechSynthesizer({ ... })',
    );
  const storage = config.storage;
  if (
    storage !== undefined &&
    storage !== 'sqlite' &&
    storage !== 'memory' &&
    !(isObject(storage) && typeof storage.open === 'function')
  ) {
    problem('storage', 'storage must be "sqlite", "memory" or a storage driver object');
  }
  if (config.adapters !== undefined) {
    if (!Array.isArray(config.adapters))
      problem('adapters', 'adapters must be a list such as ["console"]');
    else
      config.adapters.forEach((entry, index) => {
        const ok =
          (typeof entry === 'string' && entry.length > 0) ||
          (isObject(entry) &&
            typeof entry.start === 'function' &&
            typeof entry.send === 'function') ||
          (isObject(entry) && typeof entry.use === 'string');
        if (!ok)
          problem(
            `adapters[${index}]`,
            'an adapter is a name ("console"), { use: "name", options: {...} } or an adapter object',
          );
      });
  }
  if (config.skills !== undefined) {
    if (!Array.isArray(config.skills))
      problem(
        'skills',
        'skills must be a list such as ["@botwire/skill-pdf", { use: "./skills/notes", permissions: ["storage"] }]',
      );
    else
      config.skills.forEach((entry, index) => {
        validateSkillEntry(entry, `skills[${index}]`, problem);
      });
  }
  if (
    config.middleware !== undefined &&
    (!Array.isArray(config.middleware) ||
      config.middleware.some((item) => typeof item !== 'function'))
  ) {
    problem('middleware', 'middleware must be a list of functions (context, next) => ...');
  }
  if (config.chain !== undefined && typeof config.chain !== 'function')
    problem('chain', 'chain must be a function (steps) => steps');
  if (config.extensions !== undefined) {
    if (!Array.isArray(config.extensions))
      problem('extensions', 'extensions must be a list such as [bankDesk({ ... })]');
    else
      config.extensions.forEach((extension, index) => {
        if (!isObject(extension) || typeof extension.name !== 'string' || !extension.name)
          problem(`extensions[${index}]`, 'an extension is an object with a name');
        else if (extension.commands !== undefined && !Array.isArray(extension.commands))
          problem(
            `extensions[${index}].commands`,
            'commands must be a list of { name, description }',
          );
        else
          for (const hook of ['chain', 'start', 'stop'])
            if (extension[hook] !== undefined && typeof extension[hook] !== 'function')
              problem(`extensions[${index}].${hook}`, `${hook} must be a function`);
      });
  }
  if (config.log !== undefined) {
    if (!isObject(config.log)) problem('log', 'log must be an object such as { level: "info" }');
    else {
      if (config.log.level !== undefined && !logLevels.includes(String(config.log.level)))
        problem('log.level', `log.level must be one of ${logLevels.join(', ')}`);
      if (
        config.log.format !== undefined &&
        config.log.format !== 'pretty' &&
        config.log.format !== 'json'
      )
        problem('log.format', 'log.format must be "pretty" or "json"');
    }
  }
  return problems;
}

function validateLimits(limits: unknown, problem: (path: string, message: string) => void): void {
  if (!isObject(limits)) {
    problem('limits', 'limits must be an object such as { user: { messagesPerDay: 50 } }');
    return;
  }
  for (const [subject, entry] of Object.entries(limits)) {
    const path = `limits.${subject}`;
    if (!(limitSubjects as readonly string[]).includes(subject)) {
      problem(path, `unknown role "${subject}"; limits are set for ${limitSubjects.join(', ')}`);
      continue;
    }
    if (!isObject(entry)) {
      problem(path, `${path} must be an object such as { messagesPerDay: 50 }`);
      continue;
    }
    for (const [name, value] of Object.entries(entry)) {
      if (!(roleLimitNames as readonly string[]).includes(name))
        problem(`${path}.${name}`, `unknown limit "${name}"; use ${roleLimitNames.join(', ')}`);
      else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        problem(
          `${path}.${name}`,
          `${name} must be a whole number of 0 or more (leave it out for no limit); got ${JSON.stringify(value)}`,
        );
    }
  }
}

function validateSkillEntry(
  entry: unknown,
  path: string,
  problem: (path: string, message: string) => void,
): void {
  if (typeof entry === 'string') {
    if (entry.length === 0) problem(path, 'a skill entry must not be empty');
    return;
  }
  if (!isObject(entry)) {
    problem(path, 'a skill entry is a package name, a path, or { use, permissions, config }');
    return;
  }
  const use = entry.use;
  if (
    !(typeof use === 'string' && use.length > 0) &&
    !(isObject(use) && isObject(use.manifest) && isObject(use.definition))
  ) {
    problem(
      `${path}.use`,
      'use must be a package name, a path such as "./skills/notes", or an inline skill { manifest, definition }',
    );
  }
  if (entry.permissions !== undefined) {
    if (!Array.isArray(entry.permissions))
      problem(
        `${path}.permissions`,
        `permissions must be a list drawn from ${permissions.join(', ')}`,
      );
    else
      entry.permissions.forEach((permission, index) => {
        if (!permissions.includes(permission))
          problem(
            `${path}.permissions[${index}]`,
            `unknown permission "${String(permission)}"; use one of ${permissions.join(', ')}`,
          );
      });
  }
  if (entry.config !== undefined && !isObject(entry.config))
    problem(`${path}.config`, "config must be an object of the skill's options");
  for (const field of Object.keys(entry)) {
    if (!['use', 'permissions', 'config'].includes(field))
      problem(
        `${path}.${field}`,
        `unknown field "${field}"; a skill entry has use, permissions and config`,
      );
  }
}

const modelSpec = /^(none|(openai|ollama):\S+)$/;

function validateModel(model: unknown, problem: (path: string, message: string) => void): void {
  if (model === undefined) return;
  const spec = isObject(model) ? model.use : model;
  const path = isObject(model) ? 'model.use' : 'model';
  if (typeof spec !== 'string' || !modelSpec.test(spec)) {
    problem(
      path,
      `model must be "openai:<model>", "ollama:<model>" or "none", such as "openai:gpt-4o-mini"; got ${JSON.stringify(spec)}`,
    );
  }
  if (!isObject(model)) return;
  for (const field of ['timeoutMs', 'retries', 'failureThreshold', 'coolDownMs']) {
    const value = model[field];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0))
      problem(`model.${field}`, `model.${field} must be a whole number, 0 or more`);
  }
  for (const field of Object.keys(model)) {
    if (!['use', 'timeoutMs', 'retries', 'failureThreshold', 'coolDownMs'].includes(field)) {
      problem(
        `model.${field}`,
        `unknown field "${field}"; a model entry has use, timeoutMs, retries, failureThreshold and coolDownMs`,
      );
    }
  }
}

const embeddingsSpec = /^(none|lexical|(openai|ollama):\S+)$/;

function validateEmbeddings(
  embeddings: unknown,
  problem: (path: string, message: string) => void,
): void {
  if (embeddings === undefined) return;
  const spec = isObject(embeddings) ? embeddings.use : embeddings;
  const path = isObject(embeddings) ? 'embeddings.use' : 'embeddings';
  if (typeof spec !== 'string' || !embeddingsSpec.test(spec)) {
    problem(
      path,
      `embeddings must be "lexical" (no model), "openai:<model>" or "ollama:<model>", such as "openai:text-embedding-3-small"; got ${JSON.stringify(spec)}`,
    );
  }
  if (!isObject(embeddings)) return;
  for (const field of Object.keys(embeddings)) {
    if (!['use', 'timeoutMs', 'retries', 'failureThreshold', 'coolDownMs'].includes(field)) {
      problem(
        `embeddings.${field}`,
        `unknown field "${field}"; an embeddings entry has use, timeoutMs, retries, failureThreshold and coolDownMs`,
      );
    }
  }
}

function validateHttp(http: unknown, problem: (path: string, message: string) => void): void {
  if (http === undefined || http === false) return;
  if (!isObject(http)) {
    problem('http', 'http must be false or an object such as { port: 3000 }');
    return;
  }
  if (http.host !== undefined && (typeof http.host !== 'string' || !http.host))
    problem('http.host', 'http.host must be a host name or address');
  if (
    http.port !== undefined &&
    !(Number.isInteger(http.port) && (http.port as number) >= 0 && (http.port as number) < 65536)
  ) {
    problem('http.port', 'http.port must be a port number from 0 to 65535');
  }
  if (http.token !== undefined && (typeof http.token !== 'string' || http.token.length < 16)) {
    problem(
      'http.token',
      'http.token must be a secret of at least 16 characters (better: set BOTWIRE_API_TOKEN)',
    );
  }
  for (const field of Object.keys(http)) {
    if (!['host', 'port', 'token'].includes(field))
      problem(`http.${field}`, `unknown field "${field}"; http has host, port and token`);
  }
}
