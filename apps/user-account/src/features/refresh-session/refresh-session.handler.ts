import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UserStream } from '../../infrastructure/user-stream';
import { endSession, invalidRefreshToken, Sessions, TokenPair } from '../../infrastructure/sessions';
import { UserRecord } from '../../infrastructure/user-record.entity';

export class RefreshSessionCommand extends Command<TokenPair> {
  constructor(readonly refreshToken: string) {
    super();
  }
}

type Outcome = { pair: TokenPair } | { refused: 'INVALID_REFRESH_TOKEN' | 'REFRESH_TOKEN_REUSED' };

/**
 * Rotation: each refresh token works once. Presenting one that was already rotated means a
 * copy is in someone else's hands, so the whole family (that login's sessions) is revoked,
 * its access tokens included (UserSessionEnded).
 */
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(UserStream) private readonly users: UserStream,
  ) {}

  async execute({ refreshToken }: RefreshSessionCommand): Promise<TokenPair> {
    // The revocation must commit even though the caller gets an error, so refusal is a value here.
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome> => {
      const token = await this.sessions.find(manager, refreshToken);
      if (!token || token.revokedAt || token.expiresAt.getTime() <= Date.now())
        return { refused: 'INVALID_REFRESH_TOKEN' };
      if (token.rotatedAt) {
        await this.sessions.revokeFamily(manager, token.familyId);
        await endSession(this.users, manager, token, 'refresh-token-reused');
        return { refused: 'REFRESH_TOKEN_REUSED' };
      }
      const user = await manager.findOneBy(UserRecord, { userId: token.userId });
      if (!user || user.status !== 'active') return { refused: 'INVALID_REFRESH_TOKEN' };
      await this.sessions.markRotated(manager, token.tokenId);
      return {
        pair: await this.sessions.open(manager, { userId: user.userId, role: user.role }, token.familyId),
      };
    });
    if ('refused' in outcome) throw invalidRefreshToken(outcome.refused);
    return outcome.pair;
  }
}
