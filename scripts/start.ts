import { readFileSync } from 'node:fs';
import { startDevBroker } from '@tradecore/dev-broker';

// Runs the suite on one machine. Today that is the embedded dev broker (unless
// KAFKA_BROKERS points at a real cluster); the services join this launcher as they land.
const nestCli = JSON.parse(readFileSync('nest-cli.json', 'utf8')) as { projects: Record<string, { type: string }> };
const apps = Object.entries(nestCli.projects)
  .filter(([, project]) => project.type === 'application')
  .map(([name]) => name);

async function main(): Promise<void> {
  const external = process.env.KAFKA_BROKERS;
  const broker = external
    ? undefined
    : await startDevBroker({ port: Number(process.env.DEV_BROKER_PORT ?? 9092), dataDir: '.data/kafka' });
  console.log(`kafka: ${external ?? broker?.brokers.join(',')}${external ? ' (external)' : ' (embedded dev broker, data in .data/kafka)'}`);
  console.log(apps.length ? `services: ${apps.join(', ')}` : 'services: none yet — the broker runs alone; press Ctrl-C to stop');

  const stop = async (): Promise<void> => {
    await broker?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
