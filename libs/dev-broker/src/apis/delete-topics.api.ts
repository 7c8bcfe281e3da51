import type { BrokerContext } from '../broker-context';
import { CONTROLLER_ID } from '../cluster';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';

/** DeleteTopics v0-v1 on the controller; the topic's log files go with it. */
export function deleteTopicsApi(broker: BrokerContext): ApiHandler {
  return {
    key: 20,
    name: 'DeleteTopics',
    minVersion: 0,
    maxVersion: 1,
    handle: ({ apiVersion, body, nodeId }) => {
      const names = body.array((r) => r.string());
      body.int32();
      const results = names.map((name) => {
        if (nodeId !== CONTROLLER_ID) return { name, errorCode: ErrorCode.NOT_CONTROLLER };
        const deleted = broker.store.delete(name);
        if (deleted) broker.logger.info(`dev-broker: deleted topic ${name}`);
        return { name, errorCode: deleted ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      });
      const writer = new Writer();
      if (apiVersion >= 1) writer.int32(0);
      return writer.array(results, (w, r) => w.string(r.name).int16(r.errorCode));
    },
  };
}
