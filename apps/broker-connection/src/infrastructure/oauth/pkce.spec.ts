import { codeChallengeOf, newCodeVerifier, newOAuthState, stateHashOf } from './pkce';

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', () =>
    expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    ));

  it('makes verifiers of the allowed alphabet and length, never the same twice', () => {
    const verifier = newCodeVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(newCodeVerifier()).not.toBe(verifier);
  });

  it('keeps a state only as a hash that does not reveal it', () => {
    const state = newOAuthState();
    expect(stateHashOf(state)).toBe(stateHashOf(state));
    expect(stateHashOf(state)).not.toContain(state);
  });
});
