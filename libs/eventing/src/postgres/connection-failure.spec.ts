import { QueryFailedError } from 'typeorm';
import { isConnectionFailure } from './connection-failure';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isConnectionFailure', () => {
  it('is true when the server cannot be reached or drops the line', () => {
    expect(isConnectionFailure(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
    expect(isConnectionFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionFailure(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isConnectionFailure(withCode('57P01', 'terminating connection due to administrator command')),
    ).toBe(true);
    expect(isConnectionFailure(withCode('08006'))).toBe(true);
  });

  it('looks inside TypeORM query failures', () => {
    const failure = new QueryFailedError('SELECT 1', [], withCode('ECONNRESET', 'read ECONNRESET'));
    expect(isConnectionFailure(failure)).toBe(true);
  });

  it('is false when PostgreSQL refused the statement itself, or for any other error', () => {
    expect(isConnectionFailure(withCode('23505', 'duplicate key value violates unique constraint'))).toBe(
      false,
    );
    expect(isConnectionFailure(withCode('42501', 'permission denied for table events'))).toBe(false);
    expect(isConnectionFailure(new Error('account not found'))).toBe(false);
    expect(isConnectionFailure(undefined)).toBe(false);
  });
});
