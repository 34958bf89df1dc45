import { packageBuild } from '../../../tsup.package';

export default packageBuild({
  entry: { index: 'src/index.ts', 'desk/index': 'src/desk/index.ts' },
});
