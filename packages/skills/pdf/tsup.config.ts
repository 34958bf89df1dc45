import { packageBuild } from '../../../tsup.package';

// The worker thread that renders PDFs is an entry of its own: pdf-worker-pool.ts starts
// dist/pdf-worker.js beside the built module.
export default packageBuild({
  entry: { index: 'src/index.ts', 'pdf-worker': 'src/pdf-worker.ts' },
});
