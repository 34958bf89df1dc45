export { type PyodideSandboxOptions, pyodideSandbox } from './pyodide-sandbox';
