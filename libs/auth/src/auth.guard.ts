import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { amendMessageContext } from '@tradecore/eventing';
import { PUBLIC_ROUTE } from '@tradecore/eventing/nest';
import type { KeyObject } from 'node:crypto';
import { InvalidAccessTokenError, UserRole, VerifiedToken } from './access-token';
import { AuthenticatedRequest, REQUIRED_ROLES } from './auth.decorators';
import { AUTH_PUBLIC_KEY } from './public-key';
import { TokenRevocations } from './token-revocations';
import { verifiedTokens } from './verified-tokens';

interface BearerRequest extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Every route needs a valid access token unless marked @Public. The token is verified here
 * with the public key; a user id set by a proxy in some header is never believed. A token of
 * an ended session or of a user who asked for deletion is refused although unexpired.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');
  private readonly verify: (token: string) => VerifiedToken;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AUTH_PUBLIC_KEY) publicKey: KeyObject,
    @Inject(TokenRevocations) private readonly revocations: TokenRevocations,
  ) {
    this.verify = verifiedTokens(publicKey);
  }

  canActivate(context: ExecutionContext): boolean {
    // WebSocket gateways verify the handshake themselves with verifyAccessToken.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<BearerRequest>();
    const user = this.authenticate(request);
    request.user = user;
    amendMessageContext({ userId: user.userId });
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: `This needs the ${roles.join(' or ')} role`,
      });
    }
    return true;
  }

  private authenticate(request: BearerRequest) {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') {
      throw new UnauthorizedException({
        code: 'MISSING_TOKEN',
        message: 'Send an access token as "Authorization: Bearer <token>"',
      });
    }
    const [scheme, token] = header.trim().split(/\s+/, 2);
    let verified: VerifiedToken;
    try {
      if (scheme.toLowerCase() !== 'bearer' || !token)
        throw new InvalidAccessTokenError('not a bearer token');
      verified = this.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidAccessTokenError)) throw error;
      this.logger.debug(`access token refused: ${error.message}`);
      throw new UnauthorizedException({
        code: 'INVALID_TOKEN',
        message: 'The access token is invalid or expired; log in or refresh to get a new one',
      });
    }
    if (this.revocations.isRevoked(verified)) {
      throw new UnauthorizedException({
        code: 'TOKEN_REVOKED',
        message: 'This login was ended (log-out or account deletion); log in again',
      });
    }
    return verified.user;
  }
}
