import type { LookupFunction } from 'node:net';
import { type EgressPolicy, isBotwireError, type ResolvedAddress } from '@botwire/core';
import type { WebSocketRoute } from 'playwright-core';
import WebSocket from 'ws';
import type { BlockedRequest } from './guard-context';
import type { NetworkActivity } from './network-activity';

/** What {@link bridgeWebSocket} needs from the call it serves. */
export interface WebSocketBridgeOptions {
  policy: EgressPolicy;
  /** Records a WebSocket the policy refused. */
  onBlocked: (entry: BlockedRequest) => void;
  /** The call's open server sockets; the call closes them when it ends. */
  sockets: Set<WebSocket>;
  /** Told when the socket opens, closes or carries a message (the page is still busy). */
  activity?: NetworkActivity;
}

/** A close code a WebSocket endpoint may send: 1000, 1001-1003, 1007-1014 or 3000-4999. */
function sendableCode(code: number | undefined): number {
  if (code === undefined) return 1000;
  if ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)) return code;
  return code >= 3000 && code <= 4999 ? code : 1000;
}

function pinnedLookup({ address, family }: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

/**
 * Serves a page's WebSocket from Node instead of letting Chromium connect: the URL is checked
 * against the egress policy, its host resolved and every address checked, and the socket is
 * opened to the checked address itself (no second DNS answer can swap it). A refused socket is
 * closed with code 1008 and recorded. Messages pass both ways unchanged; one message is at most
 * `maxResponseBytes`.
 */
export async function bridgeWebSocket(
  route: WebSocketRoute,
  options: WebSocketBridgeOptions,
): Promise<void> {
  const url = route.url();
  const httpUrl = url.replace(/^ws(s?):/i, 'http$1:');
  const refuse = (rule: string, reason: string) => {
    options.onBlocked({ url, rule, reason, type: 'websocket' });
    return route.close({ code: 1008, reason: 'Blocked by the egress policy' }).catch(() => {});
  };
  const decision = options.policy.checkUrl(httpUrl);
  if (!decision.allowed) return refuse(decision.rule, decision.reason);
  let address: ResolvedAddress;
  try {
    [address] = (await options.policy.resolveHost(new URL(httpUrl).hostname, url)) as [
      ResolvedAddress,
    ];
  } catch (error) {
    if (isBotwireError(error, 'BOTWIRE_EGRESS_BLOCKED'))
      return refuse(String(error.details.rule), String(error.details.reason));
    return route.close({ code: 1011, reason: 'Could not resolve the host' }).catch(() => {});
  }

  const server = new WebSocket(url, route.protocols(), {
    lookup: pinnedLookup(address),
    maxPayload: options.policy.config.maxResponseBytes,
    handshakeTimeout: options.policy.config.timeoutMs,
    followRedirects: false,
    perMessageDeflate: false,
  });
  options.sockets.add(server);
  const activity = options.activity;
  let opening = Boolean(activity);
  const opened = () => {
    if (opening) activity?.end();
    opening = false;
  };
  activity?.begin();
  const waiting: Array<string | Buffer> = [];
  route.onMessage((message) => {
    activity?.touch();
    if (server.readyState === WebSocket.OPEN) server.send(message);
    else if (server.readyState === WebSocket.CONNECTING) waiting.push(message);
  });
  route.onClose((code, reason) => {
    if (server.readyState === WebSocket.OPEN) server.close(sendableCode(code), reason ?? '');
    else server.terminate();
  });
  server.on('open', () => {
    opened();
    for (const message of waiting.splice(0)) server.send(message);
  });
  server.on('message', (data, isBinary) => {
    activity?.touch();
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    route.send(isBinary ? bytes : bytes.toString('utf8'));
  });
  server.on('close', (code, reason) => {
    opened();
    options.sockets.delete(server);
    route.close({ code: sendableCode(code), reason: reason.toString('utf8') }).catch(() => {});
  });
  server.on('error', () => {
    // 'close' follows and closes the page's side.
  });
}
