import type { Cluster } from './cluster';
import type { BrokerLogger } from './logger';
import type { ProducerIds } from './storage/producer-ids';
import type { TopicStore } from './storage/topic-store';

/** What the core APIs share: one state behind every node of the presented cluster. */
export interface BrokerContext {
  readonly store: TopicStore;
  readonly cluster: Cluster;
  readonly producerIds: ProducerIds;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  readonly logger: BrokerLogger;
}
