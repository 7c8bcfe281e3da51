import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Kafka } from 'kafkajs';
import { dlqTopicOf } from '../consumer/dead-letter';
import { EVENTING_OPTIONS, EventingModuleOptions } from '../nest/eventing.options';
import { EventingRuntime } from '../nest/eventing.runtime';
import { messageOf, withTimeout } from './with-timeout';

/** Up when the broker answers and every declared topic (and each owned topic's DLQ) exists. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(EVENTING_OPTIONS) private readonly options: EventingModuleOptions,
    @Inject(EventingRuntime) private readonly runtime: EventingRuntime,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  async check(timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('kafka');
    const admin = this.kafka.admin();
    try {
      const existing = await withTimeout(
        admin.connect().then(() => admin.listTopics()),
        timeoutMs,
        'Kafka',
      );
      const present = new Set(existing);
      const declared = this.options.topics.flatMap((topic) =>
        topic.owned ? [topic.name, dlqTopicOf(topic.name)] : [topic.name],
      );
      const missingTopics = declared.filter((name) => !present.has(name));
      const problem = this.runtime.problem;
      if (missingTopics.length > 0) {
        return indicator.down({ message: `topic(s) not found: ${missingTopics.join(', ')}`, missingTopics });
      }
      return problem ? indicator.down({ message: problem }) : indicator.up({ topics: declared.length });
    } catch (error) {
      return indicator.down({ message: messageOf(error) });
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }
}
