import { jsonBodyProblem, MAX_JSON_DEPTH, urlProblem } from './request-checks';

const json = (text: string) => Buffer.from(text);
const nested = (depth: number) => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;

describe('jsonBodyProblem', () => {
  it('passes ordinary bodies, bodies that are not JSON, and bodies of other types', () => {
    expect(
      jsonBodyProblem(json('{"email":"ada@example.com","paperAccounts":{"count":1}}'), 'application/json'),
    ).toBeUndefined();
    expect(jsonBodyProblem(json('{"a":'), 'application/json')).toBeUndefined();
    expect(jsonBodyProblem(json(nested(5000)), 'text/plain')).toBeUndefined();
    expect(jsonBodyProblem(json('{"name":"💥 Ünïcode"}'), 'application/json; charset=utf-8')).toBeUndefined();
  });

  it('refuses a body nested deeper than the limit (a service’s validation would overflow its stack)', () => {
    expect(jsonBodyProblem(json(nested(MAX_JSON_DEPTH / 2 - 1)), 'application/json')).toBeUndefined();
    expect(jsonBodyProblem(json(nested(5000)), 'application/json')).toMatchObject({
      statusCode: 400,
      code: 'BODY_TOO_DEEP',
    });
  });

  it('names the field that holds a NUL or an unpaired surrogate (PostgreSQL and validators choke on them)', () => {
    expect(
      jsonBodyProblem(json('{"profile":{"displayName":"a\\u0000b"}}'), 'application/json'),
    ).toMatchObject({
      code: 'INVALID_TEXT',
      message: '$.profile.displayName contains a NUL character or broken Unicode',
    });
    expect(jsonBodyProblem(json('{"email":"\\ud800x"}'), 'application/json')).toMatchObject({
      code: 'INVALID_TEXT',
    });
    expect(jsonBodyProblem(json('{"ids":["1","\\udc00"]}'), 'application/json')).toMatchObject({
      message: '$.ids[1] contains a NUL character or broken Unicode',
    });
    expect(jsonBodyProblem(json('{"a\\u0000":1}'), 'application/json')).toMatchObject({
      code: 'INVALID_TEXT',
    });
  });
});

describe('urlProblem', () => {
  it('refuses NUL and broken escapes of text in the path or query, and passes the rest', () => {
    expect(urlProblem('/api/virtual-broker/accounts/%00/orders')).toMatchObject({
      statusCode: 400,
      code: 'INVALID_URL',
    });
    expect(urlProblem('/ops/sagas?type=%00')).toMatchObject({ code: 'INVALID_URL' });
    expect(urlProblem('/ops/sagas?type=%ED%A0%80')).toBeUndefined();
    expect(urlProblem('/api/broker-connections/0199-abc?limit=10')).toBeUndefined();
    expect(urlProblem('/api/virtual-broker/accounts/%ZZ')).toBeUndefined();
  });
});
