import { parseArgs } from 'node:util';
import { DEV_BROKER_DEFAULTS, startDevBroker } from './dev-broker';

const USAGE =
  'usage: npm run broker -- [--port 9092] [--data DIR] [--nodes N] [--partitions N] [--host NAME] [--no-auto-create]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9092' },
      data: { type: 'string' },
      nodes: { type: 'string', default: String(DEV_BROKER_DEFAULTS.nodes) },
      partitions: { type: 'string', default: String(DEV_BROKER_DEFAULTS.defaultPartitions) },
      host: { type: 'string', default: DEV_BROKER_DEFAULTS.host },
      'no-auto-create': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const broker = await startDevBroker({
    port: integer('port', values.port),
    host: values.host,
    dataDir: values.data,
    nodes: integer('nodes', values.nodes),
    defaultPartitions: integer('partitions', values.partitions),
    autoCreateTopics: !values['no-auto-create'],
  });
  const nodes = broker.ports.length === 1 ? '1 node' : `${broker.ports.length} nodes`;
  const storage = values.data ? `data ${values.data}` : 'in memory';
  console.log(`dev-broker listening on ${broker.brokers.join(',')} (${nodes}, ${storage})`);

  const stop = (signal: string) => {
    console.log(`dev-broker: ${signal}, stopping`);
    broker.stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`dev-broker: stop failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function integer(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new Error(`--${name} must be an integer, got "${value}"`);
  return parsed;
}

main().catch((error: Error) => {
  console.error(`dev-broker: ${error.message}`);
  console.error(USAGE);
  process.exit(1);
});
