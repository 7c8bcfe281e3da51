import { parseArgs } from 'node:util';
import { startAlpacaSandbox } from './alpaca/alpaca-sandbox';
import { alpacaSandboxBanner } from './alpaca/sandbox-banner';
import { startTradeStationSandbox, tradeStationDevClient, tradeStationSandboxBanner } from './tradestation';

const USAGE =
  'usage: npm run sandbox -- [--alpaca-port 3020] [--tradestation-port 3021] [--gateway http://localhost:3000] [--host 127.0.0.1] [--tick-ms 500]';

/** `npm run sandbox`: the local broker sandboxes on their own, for running the apps by hand. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'alpaca-port': { type: 'string', default: '3020' },
      'tradestation-port': { type: 'string', default: '3021' },
      gateway: { type: 'string', default: 'http://localhost:3000' },
      host: { type: 'string', default: '127.0.0.1' },
      'tick-ms': { type: 'string', default: '500' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const alpaca = await startAlpacaSandbox({
    port: Number(values['alpaca-port']),
    host: values.host,
    tickMs: Number(values['tick-ms']),
  });
  const tradeStation = await startTradeStationSandbox({
    port: Number(values['tradestation-port']),
    host: values.host,
    clients: [tradeStationDevClient(values.gateway)],
    tickMs: Number(values['tick-ms']),
  });
  console.log(alpacaSandboxBanner(alpaca.url));
  console.log(tradeStationSandboxBanner(tradeStation.url));
  const stop = () => void Promise.all([alpaca.stop(), tradeStation.stop()]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`sandbox failed: ${(error as Error).message}`);
  process.exit(1);
});
