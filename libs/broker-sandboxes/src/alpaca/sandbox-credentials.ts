/**
 * The sandbox's test credentials (documented in libs/broker-sandboxes/README.md): a key id
 * `PKTEST` followed by 4–40 letters or digits, with the secret `sandbox-secret`. Each key id is
 * an account of its own, opened with SANDBOX_STARTING_CASH on first use, so tests and demos
 * that pick a fresh key never see each other's orders. Anything else is refused as Alpaca
 * refuses unknown keys.
 */
export const SANDBOX_SECRET = 'sandbox-secret';
const KEY_ID = /^PKTEST[A-Z0-9]{4,40}$/;

/** $100,000.00, Alpaca's default paper balance. */
export const SANDBOX_STARTING_CASH_CENTS = 10_000_000;

export function acceptsSandboxCredentials(keyId: unknown, secret: unknown): keyId is string {
  return typeof keyId === 'string' && KEY_ID.test(keyId) && secret === SANDBOX_SECRET;
}

/** A stable account number per key id, shaped like Alpaca's paper ones (`PA…`). */
export const sandboxAccountNumber = (keyId: string) => `PA${keyId.slice('PKTEST'.length)}`;
