import { runCodeSandboxContract } from '@botwire/core/contract-suites';
import { pyodideSandbox } from './pyodide-sandbox';

runCodeSandboxContract('pyodide', async () => ({ sandbox: pyodideSandbox({ pool: 2 }) }), {
  timeoutMs: 2000,
});
