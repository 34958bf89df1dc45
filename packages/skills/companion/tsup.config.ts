import { packageBuild } from '../../../tsup.package';

export default packageBuild({
  entry: { index: 'src/index.ts', 'bond/index': 'src/bond/index.ts' },
});
