import { parseArgs } from 'node:util';
import { startAlpacaSandbox } from './alpaca/alpaca-sandbox';
import { SANDBOX_SECRET } from './alpaca/sandbox-credentials';

const USAGE = 'usage: npm run sandbox -- [--alpaca-port 3020] [--host 127.0.0.1] [--tick-ms 500]';

/** `npm run sandbox`: the local broker sandboxes on their own, for running the apps by hand. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'alpaca-port': { type: 'string', default: '3020' },
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
  console.log(alpacaSandboxBanner(alpaca.url));
  const stop = () => void alpaca.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function alpacaSandboxBanner(url: string): string {
  return `ALPACA SANDBOX (a local test double, not Alpaca; no real orders) at ${url}
  stream      ${url.replace(/^http/, 'ws')}/stream
  keys        any key id PKTEST + 4-40 letters/digits (e.g. PKTESTDEMO01), secret "${SANDBOX_SECRET}"
  use it      ALPACA_PAPER_BASE_URL=${url}`;
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(`sandbox failed: ${(error as Error).message}`);
    process.exit(1);
  });
