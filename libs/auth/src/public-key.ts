import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { InvalidConfigurationError } from '@tradecore/eventing/nest';
import { parsePublicKey } from './access-token';

export const AUTH_PUBLIC_KEY = Symbol('AUTH_PUBLIC_KEY');

type Lookup = (name: string) => string | undefined;

/** AUTH_PUBLIC_KEY (PEM, literal "\n" allowed) or AUTH_PUBLIC_KEY_FILE; anything else stops the start-up. */
export function loadPublicKey(lookup: Lookup): KeyObject {
  const inline = lookup('AUTH_PUBLIC_KEY');
  const file = lookup('AUTH_PUBLIC_KEY_FILE');
  if (!inline && !file) {
    throw new InvalidConfigurationError([
      'AUTH_PUBLIC_KEY or AUTH_PUBLIC_KEY_FILE must hold the PEM public key that verifies access tokens (not set)',
    ]);
  }
  const source = inline ? 'AUTH_PUBLIC_KEY' : 'AUTH_PUBLIC_KEY_FILE';
  try {
    return parsePublicKey(inline ? inline : readFileSync(file as string, 'utf8'));
  } catch (error) {
    throw new InvalidConfigurationError([
      `${source} must be a PEM RSA public key (${(error as Error).message})`,
    ]);
  }
}
