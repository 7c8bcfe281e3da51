import { publicPathOf } from './public-path';

const behind = (prefix?: string) => ({
  headers: prefix === undefined ? {} : { 'x-forwarded-prefix': prefix },
});

describe('publicPathOf', () => {
  it('given the gateway forwarded a prefix, names the path the caller used', () => {
    expect(publicPathOf(behind('/api/virtual-broker'), '/accounts/a-1')).toBe(
      '/api/virtual-broker/accounts/a-1',
    );
    expect(publicPathOf(behind('/api'), '/')).toBe('/api');
  });

  it('given a direct call, keeps the service path', () => {
    expect(publicPathOf(behind(), '/accounts')).toBe('/accounts');
  });

  it('given a prefix that is not plain path segments, believes none of it', () => {
    for (const forged of ['/api<script>', 'api', '/api/', '//evil.example', '/api?x=1', '/API'])
      expect(publicPathOf(behind(forged), '/accounts')).toBe('/accounts');
  });
});
