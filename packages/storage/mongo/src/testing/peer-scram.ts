/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as MongoDB runs it through `saslStart`
 * and `saslContinue`: the client's proof is checked against the password, and the server's
 * signature is sent back for the client to check. Passwords are prepared with NFKC, which is
 * SASLprep for the passwords tests use.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { PeerError } from './peer-values';

const iterations = 15_000;

/** One conversation between `saslStart` and its last `saslContinue`. */
export interface ScramConversation {
  user: string;
  clientFirstBare: string;
  serverFirst: string;
  nonce: string;
  saltedPassword: Buffer;
  /** Set once the client's proof was accepted. */
  verified: boolean;
}

const authenticationFailed = () =>
  new PeerError(18, 'AuthenticationFailed', 'Authentication failed.');

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

function attributes(message: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of message.split(',')) {
    const at = part.indexOf('=');
    if (at === 1) found.set(part[0]!, part.slice(2));
  }
  return found;
}

const decodeName = (name: string) => name.replace(/=2C/g, ',').replace(/=3D/g, '=');

/**
 * Handles the client's first message (`n,,n=user,r=nonce`): returns the conversation and the
 * server's first message. Unknown users fail with AuthenticationFailed, as the server answers.
 */
export function scramStart(
  users: ReadonlyMap<string, string>,
  clientFirst: string,
): { conversation: ScramConversation; reply: string } {
  if (!clientFirst.startsWith('n,')) throw authenticationFailed();
  const clientFirstBare = clientFirst.slice(clientFirst.indexOf(',', 2) + 1);
  const fields = attributes(clientFirstBare);
  const user = decodeName(fields.get('n') ?? '');
  const clientNonce = fields.get('r');
  const password = users.get(user);
  if (password === undefined || !clientNonce) throw authenticationFailed();
  const salt = createHash('sha256').update(`botwire-peer:${user}`).digest().subarray(0, 16);
  const nonce = clientNonce + randomBytes(18).toString('base64');
  const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
  const saltedPassword = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  return {
    conversation: { user, clientFirstBare, serverFirst, nonce, saltedPassword, verified: false },
    reply: serverFirst,
  };
}

/**
 * Checks the client's final message (`c=biws,r=nonce,p=proof`): returns the server's final
 * message (`v=signature`), or fails with AuthenticationFailed when the proof is wrong.
 */
export function scramFinish(conversation: ScramConversation, clientFinal: string): string {
  const fields = attributes(clientFinal);
  const proof = Buffer.from(fields.get('p') ?? '', 'base64');
  if (fields.get('r') !== conversation.nonce || proof.length !== 32) throw authenticationFailed();
  const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
  const authMessage = `${conversation.clientFirstBare},${conversation.serverFirst},${withoutProof}`;
  const clientKey = hmac(conversation.saltedPassword, 'Client Key');
  const storedKey = createHash('sha256').update(clientKey).digest();
  const signature = hmac(storedKey, authMessage);
  const recovered = Buffer.from(proof.map((byte, index) => byte ^ signature[index]!));
  const recoveredStored = createHash('sha256').update(recovered).digest();
  if (!timingSafeEqual(recoveredStored, storedKey)) throw authenticationFailed();
  conversation.verified = true;
  const serverKey = hmac(conversation.saltedPassword, 'Server Key');
  return `v=${hmac(serverKey, authMessage).toString('base64')}`;
}
