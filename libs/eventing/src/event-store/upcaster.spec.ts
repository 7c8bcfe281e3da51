import { upcasterChain } from './upcaster';

describe('upcasterChain', () => {
  const chain = upcasterChain([
    {
      type: 'PriceSet',
      fromSchemaVersion: 1,
      upcast: (p) => ({ cents: (p as { dollars: number }).dollars * 100 }),
    },
    { type: 'PriceSet', fromSchemaVersion: 2, upcast: (p) => ({ ...(p as object), currency: 'USD' }) },
  ]);

  it('applies every step from the stored version to the latest', () => {
    expect(chain('PriceSet', 1, { dollars: 3 })).toEqual({
      schemaVersion: 3,
      payload: { cents: 300, currency: 'USD' },
    });
  });

  it('starts from the middle of the chain for a newer stored version', () => {
    expect(chain('PriceSet', 2, { cents: 5 })).toEqual({
      schemaVersion: 3,
      payload: { cents: 5, currency: 'USD' },
    });
  });

  it('leaves latest versions and other types untouched', () => {
    expect(chain('PriceSet', 3, { cents: 1, currency: 'EUR' })).toEqual({
      schemaVersion: 3,
      payload: { cents: 1, currency: 'EUR' },
    });
    expect(chain('Other', 1, { a: 1 })).toEqual({ schemaVersion: 1, payload: { a: 1 } });
  });

  it('refuses two upcasters for the same step', () => {
    const twice = { type: 'A', fromSchemaVersion: 1, upcast: (p: unknown) => p };
    expect(() => upcasterChain([twice, twice])).toThrow('two upcasters for A from schema version 1');
  });
});
