import type { SagaCatalog, SagaDefinition } from '../engine/saga-definition';
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

export const sagaCatalog: SagaCatalog = { definitionOf, definitionTriggeredBy };

/**
 * SAGA_DEADLINES_MS, e.g. `UserDeletion=900000,BrokerConnection=120000`: a saga type no definition
 * has is a start-up error, so a misspelt override never silently leaves the default in place.
 */
export function sagaDeadlinesFrom(setting: string | undefined): Record<string, number> {
  const deadlines: Record<string, number> = {};
  for (const entry of (setting ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [type, ms] = entry.split('=').map((part) => part.trim());
    if (!sagaDefinitions.some((definition) => definition.type === type))
      throw new Error(
        `SAGA_DEADLINES_MS names ${type}, which is no saga type (${sagaDefinitions.map((d) => d.type).join(', ')})`,
      );
    deadlines[type] = Number(ms);
  }
  return deadlines;
}
