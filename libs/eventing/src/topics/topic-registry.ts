import type { Admin, ITopicMetadata } from 'kafkajs';
import { dlqTopicOf } from '../consumer/dead-letter';

export interface TopicDeclaration {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs?: number;
  /** Owned topics (and their DLQ) are created by this service; the others must already exist. */
  readonly owned: boolean;
}

/** A service would otherwise start and wait forever for messages on a topic nobody created. */
export class MissingTopicsError extends Error {
  readonly code = 'MISSING_TOPICS';

  constructor(
    readonly topics: readonly string[],
    readonly serviceName: string,
  ) {
    super(`topic(s) not found: ${topics.map((topic) => `${topic} (consumed by ${serviceName})`).join(', ')}`);
    this.name = 'MissingTopicsError';
  }
}

/** An owned topic exists with fewer partitions than declared and could not be grown: a group could not spread as planned. */
export class MisconfiguredTopicsError extends Error {
  readonly code = 'MISCONFIGURED_TOPICS';

  constructor(readonly problems: readonly string[]) {
    super(`topic(s) misconfigured: ${problems.join('; ')}`);
    this.name = 'MisconfiguredTopicsError';
  }
}

export interface EnsureTopicsResult {
  readonly created: readonly string[];
  /** Owned topics found with fewer partitions than declared and grown, as `name: from → to`. */
  readonly grown: readonly string[];
}

export async function ensureTopics(
  admin: Admin,
  declarations: readonly TopicDeclaration[],
  serviceName: string,
): Promise<EnsureTopicsResult> {
  const existing = new Set(await admin.listTopics());
  const missingConsumed = declarations
    .filter((topic) => !topic.owned && !existing.has(topic.name))
    .map((topic) => topic.name);
  if (missingConsumed.length > 0) throw new MissingTopicsError(missingConsumed, serviceName);

  const wanted = declarations
    .filter((topic) => topic.owned)
    .flatMap((topic) => [topic, { ...topic, name: dlqTopicOf(topic.name) }])
    .filter((topic) => !existing.has(topic.name));
  if (wanted.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        configEntries:
          topic.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(topic.retentionMs) }],
      })),
    });
  }
  const grown = await growPartitions(
    admin,
    declarations.filter((topic) => topic.owned && existing.has(topic.name)),
  );
  return { created: wanted.map((topic) => topic.name), grown };
}

/**
 * An owned topic (or its DLQ) with fewer partitions than declared is grown, so more consumers of a
 * group get work. Kafka keys then map to other partitions for new messages; per-stream order holds
 * from the growth on. Replicas starting together race to grow it: the loser finds it grown.
 */
async function growPartitions(admin: Admin, declarations: readonly TopicDeclaration[]): Promise<string[]> {
  if (declarations.length === 0) return [];
  const wanted = declarations.flatMap((topic) => [topic, { ...topic, name: dlqTopicOf(topic.name) }]);
  const short = tooFewPartitions(wanted, await topicMetadata(admin, wanted));
  if (short.length === 0) return [];
  try {
    await admin.createPartitions({
      validateOnly: false,
      topicPartitions: short.map(({ declaration }) => ({
        topic: declaration.name,
        count: declaration.partitions,
      })),
    });
    return short.map(({ declaration, found }) => `${declaration.name}: ${found} → ${declaration.partitions}`);
  } catch (error) {
    const still = tooFewPartitions(wanted, await topicMetadata(admin, wanted));
    if (still.length === 0) return [];
    const reason = error instanceof Error ? error.message : String(error);
    throw new MisconfiguredTopicsError(
      still.map(
        ({ declaration, found }) =>
          `${declaration.name} has ${found} partition(s), declared ${declaration.partitions}, and growing it failed (${reason}); grow it on the cluster or lower TOPIC_PARTITIONS`,
      ),
    );
  }
}

async function topicMetadata(
  admin: Admin,
  declarations: readonly TopicDeclaration[],
): Promise<ITopicMetadata[]> {
  const existing = new Set(await admin.listTopics());
  const present = declarations.filter((topic) => existing.has(topic.name));
  if (present.length === 0) return [];
  return (await admin.fetchTopicMetadata({ topics: present.map((topic) => topic.name) })).topics;
}

function tooFewPartitions(
  declarations: readonly TopicDeclaration[],
  metadata: readonly ITopicMetadata[],
): { declaration: TopicDeclaration; found: number }[] {
  return declarations.flatMap((declaration) => {
    const topic = metadata.find((candidate) => candidate.name === declaration.name);
    const found = topic?.partitions.length ?? declaration.partitions;
    return found < declaration.partitions ? [{ declaration, found }] : [];
  });
}

/**
 * TOPIC_PARTITIONS over the declared counts: a bare number sets every topic's, `name=count`
 * one topic's (that wins), e.g. `12` or `6,virtual-broker.events=12`. Empty keeps the declarations.
 */
export function withConfiguredPartitions(
  declarations: readonly TopicDeclaration[],
  spec: string | undefined,
): TopicDeclaration[] {
  const entries = (spec ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const fallback = entries.find((entry) => !entry.includes('='));
  const byTopic = new Map(
    entries
      .filter((entry) => entry.includes('='))
      .map((entry) => entry.split('=') as [string, string])
      .map(([name, count]) => [name.trim(), Number(count)] as const),
  );
  return declarations.map((declaration) => {
    const partitions =
      byTopic.get(declaration.name) ?? (fallback ? Number(fallback) : declaration.partitions);
    return { ...declaration, partitions };
  });
}
