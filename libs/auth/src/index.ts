export type { AuthenticatedUser, UserRole } from './access-token';
export {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  InvalidAccessTokenError,
  parsePublicKey,
  signAccessToken,
  verifyAccessToken,
} from './access-token';
export { CurrentUser, Public, REQUIRED_ROLES, Roles } from './auth.decorators';
export { AuthGuard } from './auth.guard';
export { AuthModule } from './auth.module';
export { AUTH_PUBLIC_KEY, loadPublicKey } from './public-key';
export { verifiedTokens } from './verified-tokens';
