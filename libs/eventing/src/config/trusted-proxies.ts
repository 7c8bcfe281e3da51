import { isIP } from 'node:net';
import { ValidateBy } from 'class-validator';

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUSTED_PROXIES as Express's `trust proxy` takes it: addresses, CIDR ranges and its named ranges. */
export function trustedProxiesOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export const TrustedProxyList = () =>
  ValidateBy({
    name: 'trustedProxyList',
    validator: {
      validate: (value) => typeof value === 'string' && trustedProxiesOf(value).every(isProxyAddress),
      defaultMessage: () =>
        '$property must be a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal or uniquelocal',
    },
  });
