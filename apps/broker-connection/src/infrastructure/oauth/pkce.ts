import { createHash, randomBytes } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** RFC 7636: 32 random bytes, base64url (43 characters, within the 43–128 allowed). */
export const newCodeVerifier = (): string => randomBytes(32).toString('base64url');

/** The S256 method: the challenge sent with the authorization request. */
export const codeChallengeOf = (verifier: string): string => sha256(verifier);

/** Unguessable, and kept only as its hash, so a leaked table row cannot complete a sign-in. */
export const newOAuthState = (): string => randomBytes(32).toString('base64url');

export const stateHashOf = (state: string): string => sha256(state);
