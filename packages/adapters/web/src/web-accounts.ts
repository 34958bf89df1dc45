import { createHash, randomBytes } from 'node:crypto';
import { type ScopedKeyValueStore, tokensEqual } from '@botwire/core';

/** Someone signed in to the web chat: the owner (with the owner token) or an invitation's holder. */
export interface WebPrincipal {
  /** `owner` or `invitation:<id>`: whose chats and files a request may reach. */
  key: string;
  owner: boolean;
  /** The invitation the holder signed in with. */
  invitationId?: string;
  name?: string;
  /** The invitation has not admitted its holder yet: their next message does. */
  admit: boolean;
}

/** An invitation, as the owner sees it (never with its token). */
export interface Invitation {
  id: string;
  name?: string;
  createdAt: string;
  /** True once its holder has talked to the bot and was admitted as a `user`. */
  admitted: boolean;
}

interface StoredInvitation extends Invitation {
  tokenHash: string;
}

/** The sha256 of a token, hex: tokens are stored only this way. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Who may use the web chat: the owner, by the HTTP server's owner token, and the holders of
 * invitation tokens the owner created. Invitations live in the adapter's key-value namespace,
 * their tokens only as sha256 hashes.
 *
 * @example
 * const { token } = await accounts.invite('Ann'); // give Ann this token
 * await accounts.authenticate(token);             // → { key: 'invitation:inv_...', owner: false, ... }
 */
export class WebAccounts {
  constructor(
    private readonly kv: ScopedKeyValueStore,
    private readonly ownerToken: () => string,
    private readonly ownerName?: string,
  ) {}

  /** The principal a token signs in, or undefined for a missing or unknown token. */
  async authenticate(token: string | undefined): Promise<WebPrincipal | undefined> {
    if (!token || token.length > 512) return undefined;
    if (tokensEqual(token, this.ownerToken()))
      return {
        key: 'owner',
        owner: true,
        admit: false,
        ...(this.ownerName ? { name: this.ownerName } : {}),
      };
    const id = await this.kv.get<string>(`token:${hashToken(token)}`);
    const invitation = id ? await this.kv.get<StoredInvitation>(`invitation:${id}`) : undefined;
    if (!invitation) return undefined;
    return {
      key: `invitation:${invitation.id}`,
      owner: false,
      invitationId: invitation.id,
      admit: !invitation.admitted,
      ...(invitation.name ? { name: invitation.name } : {}),
    };
  }

  /** Creates an invitation; the token is returned once and stored only as a hash. */
  async invite(name?: string): Promise<{ invitation: Invitation; token: string }> {
    const id = `inv_${randomBytes(9).toString('base64url')}`;
    const token = `bwi_${randomBytes(24).toString('base64url')}`;
    const invitation: Invitation = {
      id,
      ...(name ? { name } : {}),
      createdAt: new Date().toISOString(),
      admitted: false,
    };
    const tokenHash = hashToken(token);
    await this.kv.set(`invitation:${id}`, { ...invitation, tokenHash });
    await this.kv.set(`token:${tokenHash}`, id);
    return { invitation, token };
  }

  /** Every invitation, oldest first. */
  async list(): Promise<Invitation[]> {
    const entries = await this.kv.list<StoredInvitation>({ prefix: 'invitation:', limit: 1000 });
    return entries
      .map(({ value: { tokenHash: _hash, ...invitation } }) => invitation)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Deletes an invitation: its token stops working at once. False when there was none. */
  async revoke(id: string): Promise<boolean> {
    const invitation = await this.kv.get<StoredInvitation>(`invitation:${id}`);
    if (!invitation) return false;
    await this.kv.delete(`token:${invitation.tokenHash}`);
    await this.kv.delete(`invitation:${id}`);
    return true;
  }

  /** Records that the invitation admitted its holder, so a later `/revoke` sticks. */
  async markAdmitted(id: string): Promise<void> {
    const invitation = await this.kv.get<StoredInvitation>(`invitation:${id}`);
    if (invitation && !invitation.admitted)
      await this.kv.set(`invitation:${id}`, { ...invitation, admitted: true });
  }
}

/**
 * The chat a principal talks in: the owner's own (`owner`), a user the owner's token acts for
 * (`api:<userId>`, e.g. a visitor of the owner's site), or an invitation holder's
 * (`invitation:<id>`). Undefined when an invitation holder asks to act for someone else.
 */
export function chatIdFor(principal: WebPrincipal, userId?: string): string | undefined {
  if (userId !== undefined) return principal.owner ? `api:${userId}` : undefined;
  return principal.key;
}

/** Whose files the bot sends to a chat: the invitation's holder, or else the owner. */
export function ownerKeyOfChat(chatId: string): string {
  return chatId.startsWith('invitation:') ? chatId : 'owner';
}
