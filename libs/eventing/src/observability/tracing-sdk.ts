import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { setTracingRecording } from './tracing';

export interface Tracing {
  /** Sends what is still buffered, then stops recording. */
  shutdown(): Promise<void>;
}

/**
 * The OpenTelemetry SDK for this process: spans batched to `<endpoint>/v1/traces` (OTLP over HTTP,
 * the OTEL_EXPORTER_OTLP_ENDPOINT convention), or handed one by one to an exporter (tests use the
 * in-memory one).
 */
export function startTracingSdk(serviceName: string, to: { endpoint: string } | SpanExporter): Tracing {
  const processor =
    'endpoint' in to
      ? new BatchSpanProcessor(new OTLPTraceExporter({ url: `${to.endpoint.replace(/\/+$/, '')}/v1/traces` }))
      : new SimpleSpanProcessor(to);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [processor],
  });
  provider.register();
  setTracingRecording(true);
  return {
    async shutdown() {
      setTracingRecording(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
