/**
 * @botwire/sandbox-docker/testing — a local Docker Engine API peer for testing the Docker
 * sandbox without Docker: it answers the API calls the driver makes on a unix socket and runs
 * each container's Python on the host in fresh Linux namespaces and cgroups, with the
 * container's limits.
 * Needs Linux and root; `checkDockerPeerSupport()` says whether it can run, and why not.
 */
export {
  type DockerPeer,
  type DockerPeerOptions,
  type RecordedDockerRequest,
  startDockerPeer,
} from './docker-peer';
export { type PeerContainerConfig, peerCommand } from './peer-command';
export { checkDockerPeerSupport, type DockerPeerSupport } from './peer-support';
