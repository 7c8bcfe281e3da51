import { type ArgumentsHost, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { DomainError } from '../decider/domain-error';
import { runInMessageContext } from '../envelope/message-context';
import { VersionConflictError } from '../event-store/version-conflict.error';
import { EventingExceptionFilter } from './eventing-exception.filter';
import { ValidationFailedException } from './validation.pipe';

function replyTo(
  exception: unknown,
  requestHeaders: Record<string, string> = {},
): {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
} {
  const reply = { status: 0, body: {} as Record<string, unknown>, headers: {} as Record<string, string> };
  const response = {
    setHeader: (name: string, value: string) => void (reply.headers[name] = value),
    status: (code: number) => ((reply.status = code), response),
    json: (body: Record<string, unknown>) => void (reply.body = body),
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ headers: requestHeaders }) }),
  } as unknown as ArgumentsHost;
  new EventingExceptionFilter().catch(exception, host);
  return reply;
}

describe('EventingExceptionFilter', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('names the path the caller used behind the gateway when no route matches', () => {
    const unknownRoute = new NotFoundException('Cannot POST /accounts/a-1/order');
    expect(replyTo(unknownRoute, { 'x-forwarded-prefix': '/api/virtual-broker' }).body).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Cannot POST /api/virtual-broker/accounts/a-1/order',
    });
    expect(replyTo(unknownRoute).body).toMatchObject({ message: 'Cannot POST /accounts/a-1/order' });
  });

  it('answers a version conflict with 409 and the version to reload', () => {
    expect(replyTo(new VersionConflictError('account-1', 3, 5))).toEqual({
      status: 409,
      headers: {},
      body: {
        statusCode: 409,
        error: 'Conflict',
        code: 'VERSION_CONFLICT',
        message: expect.stringContaining('version 5'),
        details: { currentVersion: 5 },
      },
    });
  });

  it.each([
    ['ACCOUNT_NOT_OPEN', 422],
    ['CONNECTION_ALREADY_CONNECTED', 409],
    ['SAGA_LOCK_CONFLICT', 409],
    ['CONNECTION_NOT_FOUND', 404],
  ])('answers domain error %s with %i and its code', (code, status) => {
    expect(replyTo(new DomainError(code, 'what went wrong', { accountId: 'a-1' })).body).toEqual({
      statusCode: status,
      error: expect.any(String),
      code,
      message: 'what went wrong',
      details: { accountId: 'a-1' },
    });
  });

  it('gives Nest HTTP exceptions the same shape, with a code named after the status', () => {
    expect(replyTo(new NotFoundException('no such account')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'no such account',
      details: null,
    });
  });

  it('keeps the code an HTTP exception was thrown with', () => {
    expect(replyTo(new UnauthorizedException({ code: 'INVALID_TOKEN', message: 'expired' })).body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'INVALID_TOKEN',
      message: 'expired',
      details: null,
    });
  });

  it('answers invalid input with VALIDATION_FAILED, naming each field in the message and details', () => {
    const body = replyTo(
      new ValidationFailedException([
        { field: 'email', reason: 'email must be an email' },
        { field: 'password', reason: 'password is too short' },
      ]),
    ).body;
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    expect(body.message).toBe('Invalid request: email, password');
    expect(body.details).toEqual([
      { field: 'email', reason: 'email must be an email' },
      { field: 'password', reason: 'password is too short' },
    ]);
  });

  it('tells a throttled client when to come back', () => {
    const reply = replyTo(new DomainError('TOO_MANY_ATTEMPTS', 'wait', { retryAfterSeconds: 30 }));
    expect(reply.headers['Retry-After']).toBe('30');
  });

  it('maps a malformed JSON body from the body parser to a 400 MALFORMED_JSON', () => {
    const parseError = Object.assign(new Error('Unexpected token'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    expect(replyTo(parseError).body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
  });

  it('answers an unreachable database or Redis with 503 and Retry-After, naming neither host nor error', () => {
    const lostDatabase = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), {
      code: 'ECONNREFUSED',
    });
    const database = replyTo(lostDatabase);
    expect(database.status).toBe(503);
    expect(database.headers['Retry-After']).toBe('5');
    expect(database.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(JSON.stringify(database.body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7/);

    const redis = replyTo(
      new Error(
        'Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.',
      ),
    );
    expect(redis.status).toBe(503);
    expect(redis.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });

  it('answers anything else with a 500 that reveals nothing but the correlation id', () => {
    const reply = runInMessageContext({ correlationId: 'corr-9', messageId: null }, () =>
      replyTo(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2')),
    );

    expect(reply.status).toBe(500);
    expect(reply.body).toMatchObject({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      details: { correlationId: 'corr-9' },
    });
    expect(JSON.stringify(reply.body)).not.toMatch(/ECONNREFUSED|hunter2/);
  });

  const outage = (message: string, fields: object = {}) => Object.assign(new Error(message), fields);
  it.each([
    [
      'PostgreSQL refusing connections',
      outage('connect ECONNREFUSED 10.0.0.7:5432', { code: 'ECONNREFUSED' }),
    ],
    ['a pooled PostgreSQL connection dropped', outage('Connection terminated unexpectedly')],
    [
      'PostgreSQL shutting down, wrapped by TypeORM',
      outage('Query failed', { driverError: outage('terminating connection', { code: '57P01' }) }),
    ],
    [
      'Redis out of retries',
      Object.assign(outage('Reached the max retries per request limit'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    [
      'a Redis transaction aborted by a lost connection',
      outage('EXECABORT Transaction discarded', { previousErrors: [outage('Connection is closed.')] }),
    ],
    [
      'Kafka unreachable',
      Object.assign(outage('Connection error: broker-1:9092'), { name: 'KafkaJSConnectionError' }),
    ],
    [
      'a DNS failure as the cause',
      outage('fetch failed', { cause: outage('getaddrinfo EAI_AGAIN redis', { code: 'EAI_AGAIN' }) }),
    ],
  ])('answers %s with 503 DEPENDENCY_UNAVAILABLE and Retry-After, revealing nothing', (_, error) => {
    const reply = runInMessageContext({ correlationId: 'corr-3', messageId: null }, () => replyTo(error));
    expect(reply).toEqual({
      status: 503,
      headers: { 'Retry-After': '5' },
      body: {
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'DEPENDENCY_UNAVAILABLE',
        message: expect.stringContaining('try again in 5 seconds'),
        details: { retryAfterSeconds: 5, correlationId: 'corr-3' },
      },
    });
    expect(JSON.stringify(reply.body)).not.toMatch(
      /ECONNREFUSED|5432|9092|redis|Connection|EXECABORT|getaddrinfo/i,
    );
  });

  it('still answers a wrong statement with 500, not as an outage', () => {
    const syntax = outage('Query failed', { driverError: outage('syntax error', { code: '42601' }) });
    expect(replyTo(syntax).status).toBe(500);
  });
});
