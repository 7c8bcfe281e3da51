import { namedStatement } from './named-statement';

describe('namedStatement', () => {
  const renamed = namedStatement(
    'users_rename',
    (id: string, name: string, at: string) => ({ id, name, at }),
    (p) => `UPDATE users SET name = ${p.name}, renamed_at = ${p.at}, updated_at = ${p.at} WHERE id = ${p.id}`,
  );

  it('numbers the parameters in the order the text first names them, once per name', () => {
    expect(renamed.statement.text).toBe(
      'UPDATE users SET name = $1, renamed_at = $2, updated_at = $2 WHERE id = $3',
    );
  });

  it('passes the values by name, whatever order the caller gives them in', () => {
    expect(renamed.valuesOf('u-1', 'Ada', '2026-12-07T10:00:00Z')).toEqual([
      'Ada',
      '2026-12-07T10:00:00Z',
      'u-1',
    ]);
  });

  it('names the prepared statement after its text', () => {
    expect(renamed.statement.name).toMatch(/^users_rename_[0-9a-f]{16}$/);
  });
});
