/** Route metadata naming the roles a caller needs; the auth guard (@tradecore/auth's `Roles`) enforces it. */
export const REQUIRED_ROLES = 'tradecore:required-roles';
