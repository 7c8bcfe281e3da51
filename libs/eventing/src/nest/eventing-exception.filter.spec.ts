import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import { DomainError } from '../decider/domain-error';
import { runInMessageContext } from '../envelope/message-context';
import { VersionConflictError } from '../event-store/version-conflict.error';
import { EventingExceptionFilter } from './eventing-exception.filter';

function replyTo(exception: unknown): { status: number; body: Record<string, unknown> } {
  const reply = { status: 0, body: {} as Record<string, unknown> };
  const response = {
    status: (code: number) => ((reply.status = code), response),
    json: (body: Record<string, unknown>) => void (reply.body = body),
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new EventingExceptionFilter().catch(exception, host);
  return reply;
}

describe('EventingExceptionFilter', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('answers a version conflict with 409 and the version to reload', () => {
    expect(replyTo(new VersionConflictError('account-1', 3, 5))).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'VERSION_CONFLICT',
        message: expect.stringContaining('version 5'),
        currentVersion: 5,
      },
    });
  });

  it.each([
    ['ACCOUNT_NOT_OPEN', 422],
    ['CONNECTION_ALREADY_CONNECTED', 409],
    ['SAGA_LOCK_CONFLICT', 409],
    ['CONNECTION_NOT_FOUND', 404],
  ])('answers domain error %s with %i and its code', (code, status) => {
    expect(replyTo(new DomainError(code, 'what went wrong'))).toEqual({
      status,
      body: { statusCode: status, error: code, message: 'what went wrong' },
    });
  });

  it('passes Nest HTTP exceptions through unchanged', () => {
    expect(replyTo(new NotFoundException('no such account')).body).toMatchObject({
      statusCode: 404,
      message: 'no such account',
    });
  });

  it('answers anything else with a 500 that reveals nothing but the correlation id', () => {
    const reply = runInMessageContext({ correlationId: 'corr-9', messageId: null }, () =>
      replyTo(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2')),
    );

    expect(reply.status).toBe(500);
    expect(reply.body).toMatchObject({ statusCode: 500, error: 'INTERNAL_ERROR', correlationId: 'corr-9' });
    expect(JSON.stringify(reply.body)).not.toMatch(/ECONNREFUSED|hunter2/);
  });
});
