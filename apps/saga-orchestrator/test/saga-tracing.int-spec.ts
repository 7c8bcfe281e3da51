import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { startTracingSdk, type Tracing } from '@tradecore/eventing/observability/tracing-sdk';
import { v7 as uuidv7 } from 'uuid';
import { useScriptedOrchestrator } from './support/scripted-orchestrator';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

/**
 * A deadline has no message behind it: what it sets off (the step sent again, the saga timing
 * out) must still be part of the trace of the request that started the saga, or on-call loses the
 * flow exactly where it went wrong.
 */
describe('a saga input fired by a deadline', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracingSdk('saga-orchestrator', exporter);
  });
  const orchestrator = useScriptedOrchestrator();
  afterAll(() => tracing.shutdown());

  it('continues the trace of the message that started the saga, for its span and the command it sends again', async () => {
    const connectionId = uuidv7();
    orchestrator.participants.on('VerifyBrokerCredentials', connectionId, 'ignore', 1);
    await orchestrator.trigger.tracedConnectionRequested(connectionId, `00-${TRACE_ID}-${CALLER_SPAN}-01`);

    await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);
    const verifications = orchestrator.participants
      .commandsFor(connectionId)
      .filter((command) => command.type === 'VerifyBrokerCredentials');
    expect(verifications).toHaveLength(2);
    // The first was sent on a scripted reply, which carries no trace; the second only on the deadline.
    expect(verifications[1].traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-`));
    const deadline = exporter
      .getFinishedSpans()
      .find((span) => span.name === 'saga BrokerConnection DeadlinePassed');
    expect(deadline?.spanContext().traceId).toBe(TRACE_ID);
  });
});
