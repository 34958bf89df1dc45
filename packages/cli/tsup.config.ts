import { packageBuild } from '../../tsup.package';

export default packageBuild({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  dts: { entry: { index: 'src/index.ts' } },
});
