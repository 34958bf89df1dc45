import { defineConfig, type Options } from 'tsup';

/**
 * The build every Botwire package shares: ESM and type declarations for Node 20, from
 * `src/index.ts` unless the package names other entries.
 *
 * @example
 * // packages/skills/pdf/tsup.config.ts
 * export default packageBuild();
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    ...overrides,
  });
}
