import { QueryFailedError } from 'typeorm';
import { isDependencyOutage } from './dependency-outage';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isDependencyOutage', () => {
  it('is true when the server cannot be reached or drops the line', () => {
    expect(isDependencyOutage(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
    expect(isDependencyOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyOutage(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDependencyOutage(withCode('57P01', 'terminating connection due to administrator command'))).toBe(
      true,
    );
    expect(isDependencyOutage(withCode('08006'))).toBe(true);
  });

  it('looks inside TypeORM query failures', () => {
    const failure = new QueryFailedError('SELECT 1', [], withCode('ECONNRESET', 'read ECONNRESET'));
    expect(isDependencyOutage(failure)).toBe(true);
  });

  it('is false when PostgreSQL refused the statement itself, or for any other error', () => {
    expect(isDependencyOutage(withCode('23505', 'duplicate key value violates unique constraint'))).toBe(
      false,
    );
    expect(isDependencyOutage(withCode('42501', 'permission denied for table events'))).toBe(false);
    expect(isDependencyOutage(new Error('account not found'))).toBe(false);
    expect(isDependencyOutage(undefined)).toBe(false);
  });
});
