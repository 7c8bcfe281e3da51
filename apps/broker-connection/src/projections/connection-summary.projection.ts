import { type Envelope, type InlineProjector, flatEvent } from '@tradecore/eventing';
import { prepared, queryPrepared } from '@tradecore/eventing';
import type { ConnectionEvent } from '../domain/broker-connection.decider';

/**
 * Inline, so the owner reads their connection right after the request that changed it. One prepared
 * statement per event; parameters 1–3 are always the connection, the event's time and its version.
 */
export function connectionSummaryProjection(schema: string): InlineProjector {
  const table = `"${schema}".connections`;
  const update = (...changes: string[]) =>
    prepared(
      'connection_summary',
      `UPDATE ${table} SET ${['updated_at = $2', 'version = $3', ...changes].join(', ')} WHERE connection_id = $1`,
    );
  const statements = {
    requested: prepared(
      'connection_summary',
      `INSERT INTO ${table} (connection_id, updated_at, version, requested_at, user_id, broker, mode, status)
       VALUES ($1, $2, $3, $2, $4, $5, $6, 'PENDING')`,
    ),
    status: update('status = $4'),
    upkeep: update('status = $4, status_reason = $5'),
    touched: update(),
    accounts: update('status = $4, linked_account_ids = $5, virtual_account_ids = $6'),
    // $4: the ids of accounts closed at the broker, $5: those opened there.
    accountsChanged: update(
      `linked_account_ids = (SELECT coalesce(jsonb_agg(id), '[]'::jsonb) FROM jsonb_array_elements_text(linked_account_ids) id
        WHERE NOT id = ANY($4::text[])) || $5::jsonb`,
    ),
    failed: update(`status = 'FAILED', failure = $4`),
    disconnection: update('status = $4, disconnection_id = $5, status_reason = NULL'),
    restored: update(
      `status = CASE WHEN failure IS NULL THEN 'CONNECTED' ELSE 'FAILED' END, disconnection_id = NULL, status_reason = NULL`,
    ),
  };

  return async (envelope: Envelope, manager) => {
    const event = flatEvent<ConnectionEvent>(envelope);
    const run = (statement: keyof typeof statements, ...values: unknown[]) =>
      queryPrepared(manager, statements[statement], [
        envelope.streamId,
        envelope.occurredAt,
        envelope.streamVersion,
        ...values,
      ]);
    switch (event.type) {
      case 'BrokerConnectionRequested':
        return void (await run('requested', event.userId, event.broker, event.mode));
      case 'BrokerCredentialsVerified':
        return void (await run('status', 'CONNECTING'));
      case 'BrokerConnected':
        return void (await run(
          'accounts',
          'CONNECTED',
          JSON.stringify(event.linkedAccountIds),
          JSON.stringify(event.virtualAccountIds),
        ));
      case 'BrokerConnectionFailed':
        return void (await run('failed', JSON.stringify(event.reason)));
      case 'BrokerDisconnectRequested':
      case 'BrokerDisconnected':
        return void (await run('disconnection', 'DISCONNECTING', event.disconnectionId));
      case 'BrokerReconnected':
        return void (await run('disconnection', 'CONNECTED', null));
      case 'BrokerConnectionPurgeBegun':
        return void (await run('status', 'DISCONNECTED'));
      case 'BrokerConnectionRestored':
        return void (await run('restored'));
      case 'BrokerConnectionPurged':
        return void (await run('accounts', 'PURGED', '[]', '[]'));
      case 'BrokerAccountBalancesReported':
        return void (await run('touched'));
      case 'BrokerAccountsChanged':
        return void (await run(
          'accountsChanged',
          event.closedAccountIds,
          JSON.stringify(event.openedAccountIds),
        ));
      case 'BrokerConnectionDegraded':
        return void (await run('upkeep', 'DEGRADED', JSON.stringify(event.reason)));
      case 'BrokerConnectionOffline':
        return void (await run('upkeep', 'OFFLINE', JSON.stringify(event.reason)));
      case 'BrokerConnectionNeedsReauth':
        return void (await run('upkeep', 'NEEDS_REAUTH', JSON.stringify(event.reason)));
      case 'BrokerConnectionRecovered':
      case 'BrokerConnectionReauthorized':
        return void (await run('upkeep', 'CONNECTED', null));
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  };
}
