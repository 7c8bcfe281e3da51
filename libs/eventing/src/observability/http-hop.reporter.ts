import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import {
  acquireTelemetryProducer,
  DEFAULT_TELEMETRY_TOPIC,
  publishTelemetry,
  releaseTelemetryProducer,
} from '../consumer/telemetry';
import type { Envelope } from '../envelope/envelope';
import { EVENTING_OPTIONS, EventingModuleOptions } from '../nest/eventing.options';

export interface HttpHop {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly correlationId: string;
  readonly traceparent?: string;
  readonly startedAt: number;
}

/** The `HttpRequestHandled` record (libs/contracts ops.telemetry) for one answered request. */
export function httpHopEnvelope(service: string, hop: HttpHop): Envelope {
  const messageId = uuidv7();
  return {
    messageId,
    type: 'HttpRequestHandled',
    schemaVersion: 1,
    streamId: messageId,
    streamVersion: 0,
    occurredAt: new Date().toISOString(),
    correlationId: hop.correlationId,
    causationId: null,
    ...(hop.traceparent && { traceparent: hop.traceparent }),
    payload: {
      service,
      method: hop.method,
      path: hop.path,
      status: hop.status,
      durationMs: Math.max(0, hop.durationMs),
      correlationId: hop.correlationId,
      at: new Date(hop.startedAt).toISOString(),
    },
  };
}

/** Sends HTTP hops to ops.telemetry on the producer the consumers' telemetry shares, best effort like theirs. */
@Injectable()
export class HttpHopReporter implements OnModuleDestroy {
  private producer?: Promise<Producer>;

  constructor(
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(EVENTING_OPTIONS) private readonly options: EventingModuleOptions,
  ) {}

  report(hop: HttpHop): void {
    const envelope = httpHopEnvelope(this.options.serviceName, hop);
    this.producer ??= acquireTelemetryProducer(this.kafka);
    this.producer.then(
      (producer) => publishTelemetry(producer, DEFAULT_TELEMETRY_TOPIC, envelope),
      // Kafka unreachable: this hop is lost, and the next request tries to connect again.
      () => {
        this.producer = undefined;
        void releaseTelemetryProducer(this.kafka);
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer && (await producer.then(() => true).catch(() => false)))
      await releaseTelemetryProducer(this.kafka);
  }
}
