import { ipKeyGenerator } from 'express-rate-limit';
import { clientKeyOf } from './rate-limit.middleware';

describe('clientKeyOf', () => {
  it('given an IPv4 address, keys the client by that address', () => {
    expect(clientKeyOf()('203.0.113.7')).toBe('203.0.113.7');
  });

  it('given an IPv4-mapped IPv6 address, keys the client like its IPv4 form', () => {
    const clientKey = clientKeyOf();
    expect(clientKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('given two IPv6 addresses in one /56, counts them as one client, like the limiter default', () => {
    const clientKey = clientKeyOf();
    const first = clientKey('2001:db8:0:1200::1');
    expect(clientKey('2001:db8:0:12ff::2')).toBe(first);
    expect(first).toBe(ipKeyGenerator('2001:db8:0:1200::1'));
    expect(clientKey('2001:db8:0:1300::1')).not.toBe(first);
  });
});
