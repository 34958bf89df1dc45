import { readFileSync } from 'node:fs';
import {
  type EgressConnector,
  type EgressResolver,
  loadSkills,
  type SkillManifest,
  type SkillRegistry,
} from '@botwire/core';
import { buildConnector } from 'undici';
import skill from '../index';

/** The skill's manifest, read from skill.json. */
export const manifest = JSON.parse(
  readFileSync(new URL('../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;

/** The skill as an inline source (its sources, not its build), with `network` granted. */
export function webSearchSource(config: Record<string, unknown> = {}) {
  return { use: { manifest, definition: skill }, permissions: ['network' as const], config };
}

/** Loads the skill into a registry the way a bot does. */
export function loadWebSearch(config: Record<string, unknown> = {}): Promise<SkillRegistry> {
  return loadSkills([webSearchSource(config)], { baseDir: '.' });
}

/**
 * A connector that records every attempt and refuses it (no socket is opened), except to the
 * test's own loopback server when `loopback` is set.
 */
export function recordingConnector(loopback = false) {
  const attempts: string[] = [];
  const real = buildConnector({});
  const connect: EgressConnector = (options, callback) => {
    attempts.push(options.hostname);
    if (loopback && options.hostname === '127.0.0.1') real(options, callback);
    else callback(new Error(`test connector refuses ${options.hostname}`), null);
  };
  return { attempts, connect };
}

/** A resolver from a table that records each question: tests never use real DNS. */
export function recordingResolver(table: Record<string, string[]> = {}) {
  const asked: string[] = [];
  const resolve: EgressResolver = async (host) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { asked, resolve };
}

/** The error a promise rejects with. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}
