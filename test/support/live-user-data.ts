/** Runs one SQL query against the suite's database and returns its rows. */
export type Sql = (query: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Everything still live that belongs to a user, in every service's own schema: after erasure, all zero. */
export async function liveDataOf(sql: Sql, userId: string) {
  const count = async (query: string) => Number((await sql(query, [userId]))[0].count);
  return {
    connections: await count(
      `SELECT count(*) FROM broker_connection.connections WHERE user_id = $1 AND status <> 'PURGED'`,
    ),
    credentials: await count(
      `SELECT count(*) FROM broker_connection.connection_credentials
         JOIN broker_connection.connections USING (connection_id) WHERE user_id = $1`,
    ),
    paperAccounts: await count(
      `SELECT count(*) FROM virtual_broker.paper_accounts WHERE user_id = $1 AND status = 'ACTIVE'`,
    ),
    brokerAccounts: await count(
      `SELECT count(*) FROM broker_account.broker_accounts WHERE user_id = $1 AND status = 'ACTIVE'`,
    ),
    personalData: await count(
      `SELECT count(*) FROM user_account.users
        WHERE user_id = $1::uuid AND (email IS NOT NULL OR display_name IS NOT NULL OR password_hash IS NOT NULL)`,
    ),
  };
}

export const NOTHING_LIVE = {
  connections: 0,
  credentials: 0,
  paperAccounts: 0,
  brokerAccounts: 0,
  personalData: 0,
};
