import { ApiRegistry } from './apis/api-registry';
import { alterConfigsApi, incrementalAlterConfigsApi } from './apis/configs/alter-configs.api';
import { describeConfigsApi } from './apis/configs/describe-configs.api';
import { createPartitionsApi } from './apis/create-partitions.api';
import { createTopicsApi } from './apis/create-topics.api';
import { deleteRecordsApi } from './apis/delete-records.api';
import { deleteTopicsApi } from './apis/delete-topics.api';
import { fetchApi } from './apis/fetch/fetch.api';
import { initProducerIdApi } from './apis/init-producer-id.api';
import { listOffsetsApi } from './apis/list-offsets.api';
import { metadataApi } from './apis/metadata.api';
import { produceApi } from './apis/produce.api';
import type { BrokerContext } from './broker-context';
import { Cluster } from './cluster';
import { createGroupApis } from './groups';
import { type BrokerLogger, consoleLogger } from './logger';
import { BrokerServer } from './server/broker-server';
import { ProducerIds } from './storage/producer-ids';
import { TopicStore } from './storage/topic-store';

export interface DevBrokerOptions {
  /** First port; node i listens on port + i. 0 (the default) gives every node an ephemeral port. */
  readonly port?: number;
  /** Host name advertised in Metadata; the broker itself listens on 127.0.0.1 and ::1. */
  readonly host?: string;
  /** Where topics and committed offsets are kept; in memory only when absent. */
  readonly dataDir?: string;
  /** Nodes of the presented cluster, each with its own port, all sharing one state. */
  readonly nodes?: number;
  readonly autoCreateTopics?: boolean;
  /** Partitions of auto-created topics and of CreateTopics asking for the default (-1). */
  readonly defaultPartitions?: number;
  /** Larger frames cost the sender its connection. */
  readonly maxFrameBytes?: number;
  /** Size at which a partition's log rolls to a new segment file (Kafka's log.segment.bytes); with dataDir only. */
  readonly segmentBytes?: number;
  /** How often topics' retention.ms and retention.bytes are applied (Kafka's log.retention.check.interval.ms). */
  readonly retentionCheckIntervalMs?: number;
  readonly logger?: BrokerLogger;
}

export interface DevBrokerHandle {
  readonly ports: readonly number[];
  /** `host:port` of every node, ready for kafkajs's `brokers`. */
  readonly brokers: readonly string[];
  stop(): Promise<void>;
}

export const DEV_BROKER_DEFAULTS = {
  port: 0,
  host: 'localhost',
  nodes: 1,
  autoCreateTopics: true,
  defaultPartitions: 1,
  maxFrameBytes: 100 * 1024 * 1024,
  retentionCheckIntervalMs: 5 * 60 * 1000,
  segmentBytes: 64 * 1024 * 1024,
} as const;

export async function startDevBroker(options: DevBrokerOptions = {}): Promise<DevBrokerHandle> {
  const settings = { ...DEV_BROKER_DEFAULTS, ...withoutUndefined(options) };
  const logger = options.logger ?? consoleLogger;
  if (!Number.isInteger(settings.nodes) || settings.nodes < 1)
    throw new Error(`nodes must be at least 1, got ${settings.nodes}`);
  if (!Number.isInteger(settings.defaultPartitions) || settings.defaultPartitions < 1) {
    throw new Error(`defaultPartitions must be at least 1, got ${settings.defaultPartitions}`);
  }
  if (!(settings.retentionCheckIntervalMs > 0)) {
    throw new Error(`retentionCheckIntervalMs must be positive, got ${settings.retentionCheckIntervalMs}`);
  }

  if (!Number.isInteger(settings.segmentBytes) || settings.segmentBytes < 1) {
    throw new Error(`segmentBytes must be a positive integer, got ${settings.segmentBytes}`);
  }

  const store = TopicStore.open(options.dataDir, logger, settings.segmentBytes);
  let server: BrokerServer;
  try {
    server = await BrokerServer.listen({
      port: settings.port,
      nodes: settings.nodes,
      host: settings.host,
      maxFrameSize: settings.maxFrameBytes,
      logger,
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const cluster = new Cluster(
    server.ports.map((port, nodeId) => ({ nodeId, port })),
    settings.host,
  );
  const broker: BrokerContext = {
    store,
    cluster,
    producerIds: ProducerIds.open(options.dataDir, store.highestProducerId()),
    autoCreateTopics: settings.autoCreateTopics,
    defaultPartitions: settings.defaultPartitions,
    logger,
  };
  const groups = createGroupApis({
    nodes: cluster.nodes,
    dataDir: options.dataDir,
    partitionCount: (topic) => store.get(topic)?.partitions.length,
  });
  server.serve(
    new ApiRegistry([
      produceApi(broker),
      fetchApi(broker),
      listOffsetsApi(broker),
      metadataApi(broker),
      createTopicsApi(broker),
      deleteTopicsApi(broker),
      initProducerIdApi(broker),
      createPartitionsApi(broker),
      deleteRecordsApi(broker),
      describeConfigsApi(broker),
      alterConfigsApi(broker),
      incrementalAlterConfigsApi(broker),
      ...groups.apis,
    ]),
  );

  const retention = setInterval(
    () => store.enforceRetention(Date.now()),
    settings.retentionCheckIntervalMs,
  ).unref();

  let stopping: Promise<void> | undefined;
  return {
    ports: server.ports,
    brokers: server.ports.map((port) => `${settings.host}:${port}`),
    stop: () => {
      stopping ??= (async () => {
        clearInterval(retention);
        await server.close();
        await groups.close();
        store.close();
      })();
      return stopping;
    },
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
