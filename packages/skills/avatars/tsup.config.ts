import { packageBuild } from '../../../tsup.package';

export default packageBuild({
  entry: { index: 'src/index.ts', 'studio/index': 'src/studio/index.ts' },
});
