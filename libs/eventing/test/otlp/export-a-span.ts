import { runInMessageContext } from '../../src/envelope/message-context';
import { startTracing } from '../../src/observability/start-tracing';
import { traceHop } from '../../src/observability/tracing';

// Run by otlp-export.int-spec.ts in a process of its own, as a service runs: the OTLP exporter loads
// node:http with a dynamic import, which Jest's module VM refuses.
async function exportASpan(endpoint: string | undefined): Promise<void> {
  const tracing = await startTracing('otlp-sample', endpoint);
  await runInMessageContext({ correlationId: 'corr-otlp', messageId: null }, () =>
    traceHop({ name: 'command OpenAccount' }, async () => undefined),
  );
  await tracing?.shutdown();
  process.stdout.write(tracing ? 'exported\n' : 'tracing off\n');
}

void exportASpan(process.argv[2]);
