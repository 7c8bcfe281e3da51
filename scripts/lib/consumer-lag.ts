import { AssignerProtocol, type Kafka } from 'kafkajs';

/**
 * What is still unconsumed, read from the broker itself rather than the ops API: every group's
 * committed offset on every partition its members subscribe to, against the partition's end.
 * A partition the group never committed counts from its start, so a consumer stuck on its first
 * message shows as behind instead of invisible.
 */
export async function consumersBehind(kafka: Kafka, ignoreGroup: (groupId: string) => boolean) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const behind: string[] = [];
    const groupIds = (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((id) => !ignoreGroup(id));
    const ends = new Map<string, Awaited<ReturnType<typeof admin.fetchTopicOffsets>>>();
    const endsOf = async (topic: string) => {
      if (!ends.has(topic)) ends.set(topic, await admin.fetchTopicOffsets(topic));
      return ends.get(topic)!;
    };
    for (const group of (await admin.describeGroups(groupIds)).groups) {
      if (group.state !== 'Stable' && group.state !== 'Empty') {
        behind.push(`${group.groupId} is ${group.state}`);
        continue;
      }
      const subscribed = new Set<string>();
      for (const member of group.members)
        for (const topic of AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? [])
          subscribed.add(topic);
      const committed =
        subscribed.size > 0
          ? await admin.fetchOffsets({ groupId: group.groupId, topics: [...subscribed] })
          : await admin.fetchOffsets({ groupId: group.groupId });
      for (const { topic, partitions } of committed) {
        const topicEnds = await endsOf(topic);
        for (const { partition, offset } of partitions) {
          const end = topicEnds.find((candidate) => candidate.partition === partition);
          if (!end) continue;
          const position = BigInt(offset) < 0n ? BigInt(end.low) : BigInt(offset);
          if (position < BigInt(end.high))
            behind.push(`${group.groupId} ${topic}/${partition} at ${position} of ${end.high}`);
        }
      }
    }
    return behind;
  } finally {
    await admin.disconnect();
  }
}
