import { Inject } from '@nestjs/common';
import { isMessageOfType, type Envelope } from '@tradecore/eventing';
import { ConsumesTopic, InstanceTopicConsumer } from '@tradecore/eventing/nest';
import { TOKEN_LIFETIME_MS } from './revocation-settings';
import { Revocation, TokenRevocations } from './token-revocations';

/**
 * Every replica of every service hears every logout and deletion request, from one token
 * lifetime ago at start-up: a revocation older than that has no unexpired token left to refuse.
 */
@ConsumesTopic('user-account.events', { everyInstance: true })
export class RevocationConsumer implements InstanceTopicConsumer {
  constructor(
    @Inject(TokenRevocations) private readonly revocations: TokenRevocations,
    @Inject(TOKEN_LIFETIME_MS) private readonly tokenLifetimeMs: number,
  ) {}

  replaySince(): number {
    return Date.now() - this.tokenLifetimeMs;
  }

  handle(envelope: Envelope): void {
    const revocation = revocationOf(envelope);
    if (revocation) this.revocations.revoke(revocation);
  }
}

function revocationOf(envelope: Envelope): Revocation | undefined {
  if (isMessageOfType(envelope, 'UserSessionEnded')) {
    const { userId, sessionId, endedAt } = envelope.payload;
    const at = Date.parse(endedAt);
    return typeof sessionId === 'string' && Number.isFinite(at)
      ? { kind: 'session', userId, sessionId, at }
      : undefined;
  }
  if (isMessageOfType(envelope, 'UserDeletionRequested')) {
    const { userId, requestedAt } = envelope.payload;
    const at = Date.parse(requestedAt);
    return typeof userId === 'string' && Number.isFinite(at) ? { kind: 'user', userId, at } : undefined;
  }
  return undefined;
}
