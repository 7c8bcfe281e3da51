import { badge, h, shortId, time } from '../dom';

/** `GET /ops/connections`, served by broker-connection (the gateway routes it there). */
export interface ConnectionStates {
  readonly byBroker: Record<string, Record<string, number>>;
  readonly troubled: {
    readonly connectionId: string;
    readonly broker: string;
    readonly mode: string;
    readonly status: string;
    readonly reason: { code: string; message: string } | null;
    readonly since: string;
  }[];
}

/** Established first, then the way down, then the life cycle's other ends. */
const ORDER = [
  'CONNECTED',
  'DEGRADED',
  'OFFLINE',
  'NEEDS_REAUTH',
  'PENDING',
  'CONNECTING',
  'DISCONNECTING',
  'DISCONNECTED',
  'FAILED',
];
const TROUBLED = new Set(['DEGRADED', 'OFFLINE', 'NEEDS_REAUTH']);

/** Overview panel: are any broker's connections in trouble? Counts by broker and state, then the troubled ones. */
export function connectionsPanel(states: ConnectionStates | undefined): HTMLElement {
  const caption = h('h2', { id: 'connections-title' }, 'Broker connections');
  if (!states)
    return h(
      'section',
      { class: 'card connections', 'aria-labelledby': 'connections-title' },
      caption,
      h('p', { class: 'state error' }, 'broker-connection did not answer'),
    );
  const brokers = Object.keys(states.byBroker).sort();
  const seen = new Set(brokers.flatMap((broker) => Object.keys(states.byBroker[broker])));
  const columns = [
    ...ORDER.filter((status) => seen.has(status)),
    ...[...seen].filter((s) => !ORDER.includes(s)),
  ];
  const cell = (broker: string, status: string) => {
    const count = states.byBroker[broker][status] ?? 0;
    const tone = count > 0 && TROUBLED.has(status) ? (status === 'DEGRADED' ? 'warn' : 'bad') : '';
    return h('td', { class: `num ${tone}`, 'data-status': status }, count);
  };
  return h(
    'section',
    { class: 'card connections', 'aria-labelledby': 'connections-title' },
    caption,
    brokers.length === 0
      ? h('p', { class: 'state empty' }, 'No broker connection yet.')
      : h(
          'table',
          { class: 'connection-states' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Broker'),
              columns.map((c) => h('th', { scope: 'col' }, badge(c))),
            ),
          ),
          h(
            'tbody',
            {},
            brokers.map((broker) =>
              h(
                'tr',
                { 'data-broker': broker },
                h('th', { scope: 'row' }, broker),
                columns.map((c) => cell(broker, c)),
              ),
            ),
          ),
        ),
    brokers.length === 0
      ? null
      : states.troubled.length === 0
        ? h('p', { class: 'hint' }, 'Every established connection is healthy.')
        : h(
            'table',
            { class: 'troubled-connections' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Connection', 'Broker', 'State', 'Reason given to its owner', 'Since'].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              states.troubled.map((connection) =>
                h(
                  'tr',
                  {},
                  h(
                    'td',
                    { class: 'mono', title: connection.connectionId },
                    shortId(connection.connectionId),
                  ),
                  h('td', {}, `${connection.broker} (${connection.mode})`),
                  h('td', {}, badge(connection.status)),
                  h(
                    'td',
                    {},
                    connection.reason ? `${connection.reason.code}: ${connection.reason.message}` : '—',
                  ),
                  h('td', {}, time(connection.since)),
                ),
              ),
            ),
          ),
  );
}
