import type { VerifiedToken } from './access-token';

/** Times in milliseconds since the epoch. */
export type Revocation =
  | { readonly kind: 'session'; readonly userId: string; readonly sessionId: string; readonly at: number }
  | { readonly kind: 'user'; readonly userId: string; readonly at: number };

export type RevokedToken = Pick<VerifiedToken, 'user' | 'sessionId' | 'issuedAt'>;

type Listener = (revocation: Revocation) => void;

export interface TokenRevocationsOptions {
  /** How long an access token can live: a revocation older than this has nothing left to refuse. */
  readonly tokenLifetimeMs: number;
  readonly now?: () => number;
}

/** Does this revocation refuse this token? A user's revocation covers the tokens issued up to it. */
export function revokes(revocation: Revocation, token: RevokedToken): boolean {
  if (revocation.userId !== token.user.userId) return false;
  if (revocation.kind === 'session') return revocation.sessionId === token.sessionId;
  return token.issuedAt * 1000 <= revocation.at;
}

/**
 * The sessions and users whose access tokens this process refuses before they expire, learned
 * from user-account's events. In memory, each entry kept for one token lifetime after the
 * revocation; listeners (open sockets) hear of each new one to close what it covers.
 */
export class TokenRevocations {
  private readonly sessions = new Map<string, Revocation>();
  private readonly users = new Map<string, Revocation>();
  private readonly listeners = new Set<Listener>();
  private readonly now: () => number;

  constructor(private readonly options: TokenRevocationsOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    this.forgetExpired();
    return this.sessions.size + this.users.size;
  }

  revoke(revocation: Revocation): void {
    if (revocation.at + this.options.tokenLifetimeMs <= this.now()) return;
    const entries = revocation.kind === 'session' ? this.sessions : this.users;
    const key = revocation.kind === 'session' ? revocation.sessionId : revocation.userId;
    const known = entries.get(key);
    // A replayed or older revocation of a user must not shrink what a later one covers.
    if (!known || known.at < revocation.at) entries.set(key, revocation);
    for (const listener of this.listeners) listener(revocation);
  }

  isRevoked(token: RevokedToken): boolean {
    this.forgetExpired();
    const session = token.sessionId === undefined ? undefined : this.sessions.get(token.sessionId);
    const user = this.users.get(token.user.userId);
    return [session, user].some((revocation) => revocation !== undefined && revokes(revocation, token));
  }

  onRevocation(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private forgetExpired(): void {
    const oldest = this.now() - this.options.tokenLifetimeMs;
    for (const entries of [this.sessions, this.users])
      for (const [key, revocation] of entries) if (revocation.at <= oldest) entries.delete(key);
  }
}
