import { quoteIdent } from '../migrations/sql-identifiers';
import { deleteOlderRows, type PruneRule } from './table-pruner';

export interface EventingPruneAges {
  readonly inboxDays: number;
  readonly deadLettersDays: number;
}

/**
 * The eventing tables every service prunes. Never the event store, snapshots or the outbox:
 * events are the source of truth, and an outbox row leaves only once published. A dead letter
 * goes only once replayed; a pending one stays however old.
 */
export function eventingPruneRules(schema: string, ages: EventingPruneAges): PruneRule[] {
  const s = quoteIdent(schema);
  return [
    {
      table: 'inbox',
      afterDays: ages.inboxDays,
      deleteBatch: deleteOlderRows(`${s}.inbox`, `handled_at < now() - make_interval(days => $1::int)`),
    },
    {
      table: 'dead_letters',
      afterDays: ages.deadLettersDays,
      deleteBatch: deleteOlderRows(
        `${s}.dead_letters`,
        `replayed_at < now() - make_interval(days => $1::int)`,
      ),
    },
  ];
}
