import { Reader } from '../protocol/reader';
import { type Group, metadataFor } from './group';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/**
 * The topics a consumer group's members subscribe to, read from their metadata for the chosen
 * protocol in the layout every ConsumerProtocol version starts with (version, topics, ...).
 * Undefined when it cannot be known (no protocol chosen yet, metadata not in that layout): like
 * Kafka, a caller then takes every topic as subscribed, to be safe.
 */
export function subscribedTopics(group: Group): ReadonlySet<string> | undefined {
  if (group.protocolType !== CONSUMER_PROTOCOL_TYPE || group.protocol === '' || group.members.size === 0)
    return undefined;
  const topics = new Set<string>();
  try {
    for (const member of group.members.values()) {
      const metadata = new Reader(metadataFor(member, group.protocol));
      metadata.int16();
      for (const topic of metadata.array((reader) => reader.string())) topics.add(topic);
    }
  } catch {
    return undefined;
  }
  return topics;
}
