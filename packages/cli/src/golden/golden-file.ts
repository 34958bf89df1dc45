import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isRole, type Role, roles } from '@botwire/core';
import { isSeq, LineCounter, parseDocument } from 'yaml';

/** A scripted answer of the model: its text, or `{ json: ... }` sent as JSON text. */
export type GoldenModelAnswer = string | { json: unknown };

/** Who a turn comes from. */
export interface GoldenUser {
  id: string;
  name: string;
  locale: string;
  /** The bot's owner (default true for the conversation's user, false for others). */
  owner: boolean;
  /** A role the user has before their first turn, such as `premium` (a plan) or `admin`. */
  role?: Role;
}

/** A file a turn sends. */
export interface GoldenFile {
  /** Relative to the YAML file. */
  path: string;
  kind: 'photo' | 'voice' | 'audio' | 'video' | 'document';
  name?: string;
  type?: string;
  caption?: string;
}

/** What a turn's replies must show; every key is optional. */
export interface GoldenExpectation {
  /** Each must match some reply (a substring, or `/regex/flags`). */
  reply?: string[];
  /** None may match any reply. */
  noReply?: string[];
  /** How many messages came. */
  replies?: number;
  /** Button labels that must be offered. */
  buttons?: string[];
  /** How many files came, or each file's name or type (substring or `/regex/`). */
  files?: number | Array<{ name?: string; type?: string }>;
  /** The tools called during the turn, in order (`[]`: none). */
  tools?: string[];
  /** How many model calls the turn made. */
  modelCalls?: number;
  /** How many replies carried a voice message. */
  voices?: number;
}

/** One step of a golden conversation. */
export type GoldenTurn = (
  | { kind: 'say'; text: string }
  | { kind: 'press'; button: string }
  | { kind: 'file'; file: GoldenFile }
  | { kind: 'wait'; ms: number; label: string }
  | { kind: 'model'; answers: GoldenModelAnswer[] }
  | { kind: 'restart' }
) & { as?: GoldenUser; expect?: GoldenExpectation; line: number };

/** A parsed golden conversation file. */
export interface GoldenConversation {
  file: string;
  name: string;
  /** The bot config, as written (relative to the file); undefined: found from the file's folder up. */
  config?: string;
  user: GoldenUser;
  /** Where the fake clock starts (ms). */
  start?: number;
  turns: GoldenTurn[];
}

/** A golden file that cannot be read, with where and why. */
export class GoldenFileError extends Error {
  /** What is wrong, without the file's name: `turns[2].wait: a duration such as 30s`. */
  readonly detail: string;

  constructor(
    readonly file: string,
    readonly where: string,
    message: string,
  ) {
    super(`${file}: ${where ? `${where}: ` : ''}${message}`);
    this.detail = `${where ? `${where}: ` : ''}${message}`;
  }
}

const units: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `90m`, `2h`, `1d 2h`, `30s`, `500ms` → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const parts = text.trim().toLowerCase().split(/\s+/);
  let total = 0;
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)(ms|sec|min|s|m|h|d)$/.exec(part);
    if (!match) return undefined;
    total += Number(match[1]) * units[match[2]!]!;
  }
  return parts.length ? Math.round(total) : undefined;
}

const turnKeys = ['say', 'press', 'file', 'wait', 'model', 'restart'] as const;
const expectKeys = new Set([
  'reply',
  'noReply',
  'replies',
  'buttons',
  'files',
  'tools',
  'modelCalls',
  'voices',
]);

/** Reads and checks a golden conversation file (YAML); throws {@link GoldenFileError} saying what to fix. */
export async function readGoldenFile(file: string): Promise<GoldenConversation> {
  const text = await readFile(file, 'utf8');
  return parseGolden(text, file);
}

/** Parses the text of a golden conversation file. */
export function parseGolden(text: string, file: string): GoldenConversation {
  const lineCounter = new LineCounter();
  const parsed = parseDocument(text, { lineCounter });
  if (parsed.errors.length)
    throw new GoldenFileError(file, '', `not valid YAML: ${parsed.errors[0]!.message}`);
  const document: unknown = parsed.toJS();
  // The line each turn starts on, for the report.
  const turnsNode = parsed.get('turns', true);
  const lines = isSeq(turnsNode)
    ? turnsNode.items.map((item) => {
        const offset = (item as { range?: [number, number, number] }).range?.[0];
        return offset === undefined ? 0 : lineCounter.linePos(offset).line;
      })
    : [];
  const fail = (where: string, message: string): never => {
    throw new GoldenFileError(file, where, message);
  };
  if (!isObject(document)) fail('', 'a golden conversation is a mapping with `turns:`');
  const root = document as Record<string, unknown>;
  for (const key of Object.keys(root))
    if (!['name', 'config', 'user', 'start', 'turns'].includes(key))
      fail(key, 'unknown key (known: name, config, user, start, turns)');
  const user = readUser(root.user, 'user', fail, true);
  let start: number | undefined;
  if (root.start !== undefined) {
    start = root.start instanceof Date ? root.start.getTime() : Date.parse(String(root.start));
    if (Number.isNaN(start)) fail('start', 'a date and time such as 2030-01-07T09:00:00Z');
  }
  if (!Array.isArray(root.turns) || root.turns.length === 0)
    fail('turns', 'a list of turns (say, press, file, wait, model), at least one');
  const turns = (root.turns as unknown[]).map((turn, index) =>
    readTurn(turn, `turns[${index}]`, fail, lines[index] ?? 0),
  );
  return {
    file,
    name: typeof root.name === 'string' && root.name ? root.name : basename(file),
    ...(typeof root.config === 'string' ? { config: root.config } : {}),
    user,
    ...(start !== undefined ? { start } : {}),
    turns,
  };
}

type Fail = (where: string, message: string) => never;

function readUser(value: unknown, where: string, fail: Fail, main: boolean): GoldenUser {
  const fallback = { id: 'tester', name: 'Tester', locale: 'en', owner: main };
  if (value === undefined) return fallback;
  if (!isObject(value)) return fail(where, 'a mapping such as { id: ann, name: Ann, locale: en }');
  const user = value as Record<string, unknown>;
  for (const key of Object.keys(user))
    if (!['id', 'name', 'locale', 'owner', 'role'].includes(key))
      fail(`${where}.${key}`, 'unknown key (known: id, name, locale, owner, role)');
  if (user.role !== undefined && !isRole(String(user.role)))
    fail(`${where}.role`, `one of ${roles.join(', ')}`);
  return {
    id: user.id === undefined ? fallback.id : String(user.id),
    name: user.name === undefined ? String(user.id ?? fallback.name) : String(user.name),
    locale: user.locale === undefined ? 'en' : String(user.locale),
    owner: user.owner === undefined ? main : user.owner === true,
    ...(user.role !== undefined ? { role: user.role as Role } : {}),
  };
}

function readTurn(value: unknown, where: string, fail: Fail, line: number): GoldenTurn {
  if (!isObject(value)) return fail(where, `a mapping with one of ${turnKeys.join(', ')}`);
  const turn = value as Record<string, unknown>;
  const kinds = turnKeys.filter((key) => key in turn);
  if (kinds.length !== 1)
    fail(
      where,
      `needs exactly one of ${turnKeys.join(', ')} (found ${kinds.join(', ') || 'none'})`,
    );
  for (const key of Object.keys(turn))
    if (!(turnKeys as readonly string[]).includes(key) && key !== 'as' && key !== 'expect')
      fail(
        `${where}.${key}`,
        'unknown key (a turn has one of say, press, file, wait, model, and as, expect)',
      );
  const extra = {
    line,
    ...(turn.as !== undefined ? { as: readUser(turn.as, `${where}.as`, fail, false) } : {}),
    ...(turn.expect !== undefined
      ? { expect: readExpect(turn.expect, `${where}.expect`, fail) }
      : {}),
  };
  const kind = kinds[0]!;
  const body = turn[kind];
  switch (kind) {
    case 'say':
      if (typeof body !== 'string' && typeof body !== 'number')
        fail(`${where}.say`, 'the text the user sends');
      return { kind, text: String(body), ...extra };
    case 'press':
      if (typeof body !== 'string' || !body)
        fail(`${where}.press`, "a button's label (or its data)");
      return { kind, button: body as string, ...extra };
    case 'wait': {
      const ms = parseDuration(String(body));
      if (ms === undefined || ms <= 0)
        fail(`${where}.wait`, 'a duration such as 30s, 90m, 2h or 1d');
      return { kind, ms: ms as number, label: String(body), ...extra };
    }
    case 'restart':
      if (body !== true && body !== null)
        fail(
          `${where}.restart`,
          'write `- restart: true` (the bot stops and starts again on its storage)',
        );
      return { kind, ...extra };
    case 'model': {
      const answers = Array.isArray(body) ? body : [body];
      for (const [index, answer] of answers.entries())
        if (typeof answer !== 'string' && !(isObject(answer) && 'json' in answer))
          fail(`${where}.model[${index}]`, 'an answer: text, or { json: ... } for a plan');
      return { kind, answers: answers as GoldenModelAnswer[], ...extra };
    }
    default: {
      const file = typeof body === 'string' ? { path: body } : body;
      if (!isObject(file) || typeof (file as { path?: unknown }).path !== 'string')
        fail(
          `${where}.file`,
          'a path (relative to this file), or { path, kind, name, type, caption }',
        );
      const spec = file as Record<string, unknown>;
      const kindOf = spec.kind ?? 'document';
      if (!['photo', 'voice', 'audio', 'video', 'document'].includes(String(kindOf)))
        fail(`${where}.file.kind`, 'one of photo, voice, audio, video, document');
      return {
        kind: 'file',
        file: {
          path: String(spec.path),
          kind: kindOf as GoldenFile['kind'],
          ...(spec.name !== undefined ? { name: String(spec.name) } : {}),
          ...(spec.type !== undefined ? { type: String(spec.type) } : {}),
          ...(spec.caption !== undefined ? { caption: String(spec.caption) } : {}),
        },
        ...extra,
      };
    }
  }
}

function readExpect(value: unknown, where: string, fail: Fail): GoldenExpectation {
  if (!isObject(value))
    return fail(where, 'a mapping of expectations (reply, buttons, tools, ...)');
  const expect = value as Record<string, unknown>;
  for (const key of Object.keys(expect))
    if (!expectKeys.has(key))
      fail(`${where}.${key}`, `unknown expectation (known: ${[...expectKeys].join(', ')})`);
  const texts = (key: string): string[] | undefined => {
    const item = expect[key];
    if (item === undefined) return undefined;
    const list = Array.isArray(item) ? item : [item];
    if (list.some((each) => typeof each !== 'string' && typeof each !== 'number'))
      fail(`${where}.${key}`, 'a text, /regex/, or a list of them');
    return list.map(String);
  };
  const count = (key: string): number | undefined => {
    const item = expect[key];
    if (item === undefined) return undefined;
    if (!Number.isInteger(item) || (item as number) < 0) fail(`${where}.${key}`, 'a whole number');
    return item as number;
  };
  const result: GoldenExpectation = {};
  const reply = texts('reply');
  if (reply) result.reply = reply;
  const noReply = texts('noReply');
  if (noReply) result.noReply = noReply;
  const buttons = texts('buttons');
  if (buttons) result.buttons = buttons;
  const replies = count('replies');
  if (replies !== undefined) result.replies = replies;
  const modelCalls = count('modelCalls');
  if (modelCalls !== undefined) result.modelCalls = modelCalls;
  const voices = count('voices');
  if (voices !== undefined) result.voices = voices;
  if (expect.tools !== undefined) {
    const tools = Array.isArray(expect.tools) ? expect.tools : [expect.tools];
    if (tools.some((tool) => typeof tool !== 'string'))
      fail(`${where}.tools`, 'a list of tool names ([] for none)');
    result.tools = tools as string[];
  }
  if (expect.files !== undefined) {
    if (Number.isInteger(expect.files) && (expect.files as number) >= 0)
      result.files = expect.files as number;
    else if (Array.isArray(expect.files))
      result.files = expect.files.map((item, index) => {
        if (typeof item === 'string') return { name: item };
        if (!isObject(item)) return fail(`${where}.files[${index}]`, 'a name, or { name, type }');
        const spec = item as Record<string, unknown>;
        return {
          ...(spec.name !== undefined ? { name: String(spec.name) } : {}),
          ...(spec.type !== undefined ? { type: String(spec.type) } : {}),
        };
      });
    else fail(`${where}.files`, 'a number, or a list of { name, type }');
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
