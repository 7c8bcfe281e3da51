import { brokerConnectionSaga } from '../broker-connection.saga';

/** What starts a BrokerConnection saga: user-1 asking for a paper connection to `broker`. */
export const connectionRequested = (broker: 'virtual' | 'alpaca' = 'alpaca') => ({
  connectionId: 'conn-1',
  userId: 'user-1',
  broker,
  mode: 'paper' as const,
  requestedAt: '2026-01-01T00:00:00.000Z',
});

/** The engine's example: BrokerConnection from its first step that can fail the saga (the key step only asks). */
export const connectionFromFirstRiskyStep = {
  ...brokerConnectionSaga,
  steps: brokerConnectionSaga.steps.filter((step) => step.name !== 'issue-data-keys'),
};
