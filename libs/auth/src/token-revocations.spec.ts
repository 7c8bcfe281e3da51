import { type Revocation, type RevokedToken, TokenRevocations } from './token-revocations';

const MINUTE = 60_000;
const T0 = Date.parse('2026-01-01T12:00:00.000Z');

const token = (userId: string, sessionId: string, issuedAtMs: number): RevokedToken => ({
  user: { userId, role: 'user' },
  sessionId,
  issuedAt: Math.floor(issuedAtMs / 1000),
});

function given(...revocations: Revocation[]) {
  let now = T0;
  const revocations$ = new TokenRevocations({ tokenLifetimeMs: 15 * MINUTE, now: () => now });
  const heard: Revocation[] = [];
  revocations$.onRevocation((revocation) => heard.push(revocation));
  revocations.forEach((revocation) => revocations$.revoke(revocation));
  return { revocations: revocations$, heard, later: (ms: number) => (now += ms) };
}

describe('TokenRevocations', () => {
  it("given an ended session, refuses that session's tokens and no other's", () => {
    const { revocations } = given({ kind: 'session', userId: 'u-1', sessionId: 's-1', at: T0 });

    expect(revocations.isRevoked(token('u-1', 's-1', T0 - MINUTE))).toBe(true);
    expect(revocations.isRevoked(token('u-1', 's-2', T0 - MINUTE))).toBe(false);
    expect(revocations.isRevoked(token('u-2', 's-1', T0 - MINUTE))).toBe(false);
  });

  it("given a user's deletion request, refuses every token issued up to it, whatever its session", () => {
    const { revocations } = given({ kind: 'user', userId: 'u-1', at: T0 });

    expect(revocations.isRevoked(token('u-1', 's-1', T0 - MINUTE))).toBe(true);
    expect(revocations.isRevoked(token('u-1', 's-2', T0))).toBe(true);
    expect(revocations.isRevoked(token('u-1', 's-3', T0 + 2000))).toBe(false);
    expect(revocations.isRevoked(token('u-2', 's-1', T0 - MINUTE))).toBe(false);
  });

  it('forgets a revocation once every token it covers has expired', () => {
    const { revocations, later } = given({ kind: 'session', userId: 'u-1', sessionId: 's-1', at: T0 });
    later(15 * MINUTE);

    expect(revocations.isRevoked(token('u-1', 's-1', T0))).toBe(false);
    expect(revocations.size).toBe(0);
  });

  it('ignores a replayed revocation older than a token lifetime, and tells listeners of the others', () => {
    const { revocations, heard } = given(
      { kind: 'user', userId: 'u-1', at: T0 - 20 * MINUTE },
      { kind: 'session', userId: 'u-2', sessionId: 's-2', at: T0 - MINUTE },
    );

    expect(revocations.size).toBe(1);
    expect(heard).toEqual([{ kind: 'session', userId: 'u-2', sessionId: 's-2', at: T0 - MINUTE }]);
  });

  it("keeps the later of a user's revocations when an earlier one is replayed after it", () => {
    const { revocations } = given(
      { kind: 'user', userId: 'u-1', at: T0 },
      { kind: 'user', userId: 'u-1', at: T0 - 5 * MINUTE },
    );

    expect(revocations.isRevoked(token('u-1', 's-1', T0 - MINUTE))).toBe(true);
  });
});
