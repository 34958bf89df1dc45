import { packageBuild } from '../../tsup.package';

export default packageBuild({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  dts: { entry: { index: 'src/index.ts' } },
  esbuildOptions(options) {
    // Each command's code is imported when the command runs, into a chunk of its own; the
    // `chunk-` prefix marks it as internal (scripts/check-exports.mjs).
    options.chunkNames = 'chunk-[name]-[hash]';
  },
});
