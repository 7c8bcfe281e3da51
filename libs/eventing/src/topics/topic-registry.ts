import type { Admin } from 'kafkajs';
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

/** An owned topic exists with fewer partitions than declared: keys would land on other partitions than planned. */
export class MisconfiguredTopicsError extends Error {
  readonly code = 'MISCONFIGURED_TOPICS';

  constructor(readonly problems: readonly string[]) {
    super(`topic(s) misconfigured: ${problems.join('; ')}`);
    this.name = 'MisconfiguredTopicsError';
  }
}

export interface EnsureTopicsResult {
  readonly created: readonly string[];
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
  await checkPartitions(
    admin,
    declarations.filter((topic) => topic.owned && existing.has(topic.name)),
  );
  return { created: wanted.map((topic) => topic.name) };
}

async function checkPartitions(admin: Admin, declarations: readonly TopicDeclaration[]): Promise<void> {
  if (declarations.length === 0) return;
  const metadata = await admin.fetchTopicMetadata({ topics: declarations.map((topic) => topic.name) });
  const problems = declarations.flatMap((declaration) => {
    const found = metadata.topics.find((topic) => topic.name === declaration.name)?.partitions.length ?? 0;
    return found < declaration.partitions
      ? [`${declaration.name} has ${found} partition(s), declared ${declaration.partitions}`]
      : [];
  });
  if (problems.length > 0) throw new MisconfiguredTopicsError(problems);
}
