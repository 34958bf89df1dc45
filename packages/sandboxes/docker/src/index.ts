/**
 * @botwire/sandbox-docker — the production code sandbox: Python runs in a fresh, hardened Docker
 * container per run (no network, read-only root, memory, CPU and process limits, non-root, no
 * capabilities). Give `dockerSandbox({ image })` to a bot as its sandbox. A local Docker Engine
 * API peer for tests is in `@botwire/sandbox-docker/testing`.
 */
export { type ContainerSettings, containerSpec, sandboxLabel } from './container-spec';
export { type DockerSandboxOptions, dockerSandbox } from './docker-sandbox';
