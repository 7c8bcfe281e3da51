export type { AuthenticatedUser, UserRole, VerifiedToken } from './access-token';
export {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  InvalidAccessTokenError,
  parsePublicKey,
  signAccessToken,
  verifyAccessToken,
  verifyAccessTokenClaims,
} from './access-token';
export { CurrentUser, Public, REQUIRED_ROLES, Roles } from './auth.decorators';
export { AuthGuard } from './auth.guard';
export { AuthModule } from './auth.module';
export { AUTH_PUBLIC_KEY, loadPublicKey } from './public-key';
export { verifiedTokens } from './verified-tokens';
export { RevocationConsumer } from './revocation.consumer';
export { loadTokenLifetimeMs, TOKEN_LIFETIME_MS } from './revocation-settings';
export type { Revocation, RevokedToken } from './token-revocations';
export { revokes, TokenRevocations } from './token-revocations';
export { handshakeTokenOf, TOKEN_SUBPROTOCOL, verifyHandshake } from './handshake-token';
