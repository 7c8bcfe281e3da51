/**
 * What the eventing mechanism reports about itself. The mechanism calls these hooks; the
 * Nest layer implements them with prom-client, tests can record them, and the default
 * does nothing, so the core never depends on a metrics library.
 */
export interface EventingInstrumentation {
  appended(streamType: string, eventCount: number, durationMs: number): void;
  versionConflict(streamType: string): void;
  relayPublished(topic: string, count: number, commitToPublishMs: number): void;
  relayBacklog(pendingRows: number, oldestAgeMs: number): void;
  consumed(
    consumer: string,
    topic: string,
    outcome: 'handled' | 'duplicate' | 'retried' | 'dead-lettered',
    durationMs: number,
  ): void;
}

export const noInstrumentation: EventingInstrumentation = {
  appended: () => undefined,
  versionConflict: () => undefined,
  relayPublished: () => undefined,
  relayBacklog: () => undefined,
  consumed: () => undefined,
};
