import type { Tracing } from './tracing-sdk';

/**
 * Starts the SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing is loaded and the
 * API's no-op tracer stays in place. Called by each main before the app starts its consumers.
 */
export async function startTracing(
  serviceName: string,
  endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
): Promise<Tracing | undefined> {
  if (!endpoint) return undefined;
  const { startTracingSdk } = await import('./tracing-sdk');
  return startTracingSdk(serviceName, { endpoint });
}
