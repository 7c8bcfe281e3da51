import type { SagaDefinition } from '../engine/saga-definition';
import { brokerConnectionSaga } from './broker-connection.saga';
import { brokerDisconnectionSaga } from './broker-disconnection.saga';
import { userDeletionSaga } from './user-deletion.saga';

export const sagaDefinitions: readonly SagaDefinition[] = [
  brokerConnectionSaga,
  brokerDisconnectionSaga,
  userDeletionSaga,
];

export function definitionOf(type: string): SagaDefinition {
  const definition = sagaDefinitions.find((candidate) => candidate.type === type);
  if (!definition) throw new Error(`no saga definition of type ${type}`);
  return definition;
}

export function definitionTriggeredBy(eventType: string): SagaDefinition | undefined {
  return sagaDefinitions.find((definition) => definition.trigger.includes(eventType));
}
