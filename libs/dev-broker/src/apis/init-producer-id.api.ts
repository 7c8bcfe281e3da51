import type { BrokerContext } from '../broker-context';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';

/** Idempotent producers only: a transactional id is refused, since there is no transaction coordinator. */
export function initProducerIdApi(broker: BrokerContext): ApiHandler {
  return {
    key: 22,
    name: 'InitProducerId',
    minVersion: 0,
    maxVersion: 0,
    handle: ({ body, clientId }) => {
      const transactionalId = body.nullableString();
      body.int32();
      if (transactionalId !== null) {
        broker.logger.warn(
          `dev-broker: refused transactional id "${transactionalId}" of ${clientId}: transactions are not supported`,
        );
        return new Writer().int32(0).int16(ErrorCode.INVALID_REQUEST).int64(-1).int16(-1);
      }
      return new Writer().int32(0).int16(ErrorCode.NONE).int64(broker.producerIds.allocate()).int16(0);
    },
  };
}
