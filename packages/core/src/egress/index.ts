/** The egress policy: where skills' outbound requests may go, and the fetch that enforces it. */
export { type BlockedRange, blockedRange, embeddedIpv4 } from './address-ranges';
export {
  type EgressConfig,
  egressConfigFromEnv,
  egressDefaults,
  egressEntryProblem,
  validateEgressConfig,
} from './egress-config';
export {
  closeEgressDispatcher,
  type EgressRequestInit,
  type EgressResponse,
  egressDispatcher,
  egressFetch,
} from './egress-fetch';
export {
  type EgressConnector,
  type EgressDecision,
  EgressPolicy,
  type EgressPolicyOptions,
  type EgressResolver,
  egressBlockedError,
  normalizeHost,
  type ResolvedAddress,
} from './egress-policy';
export {
  type Cidr,
  cidrContains,
  formatIp,
  type IpAddress,
  parseCidr,
  parseIp,
  parseIpv4,
  parseIpv6,
} from './ip-address';
