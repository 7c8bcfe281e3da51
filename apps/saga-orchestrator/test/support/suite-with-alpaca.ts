import { Client } from 'pg';
import { startSlowAlpaca } from '../../../../test/support/slow-alpaca';
import { buildSuite, type SuiteApp, SuiteProcesses } from './suite-processes';

/** What a whole-suite test works with once its `beforeAll` has run. */
export class SuiteWithAlpaca {
  processes!: SuiteProcesses;
  database!: Client;

  /** A request straight to one app of the suite. */
  readonly call = (app: SuiteApp, method: string, path: string, token?: string, body?: unknown) =>
    this.processes.call(app, method, path, token, body);

  /** The rows a query on the suite's database answers. */
  readonly sql = async (query: string, params: unknown[]) => (await this.database.query(query, params)).rows;
}

/**
 * Before a describe's tests: the suite built and started with Alpaca's paper API answering after
 * `delayMs`, and a connection to its database; after them, all stopped.
 */
export function useSuiteWithSlowAlpaca(delayMs: number): SuiteWithAlpaca {
  const running = new SuiteWithAlpaca();
  let alpaca: { url: string; stop(): void } | undefined;
  beforeAll(async () => {
    buildSuite();
    alpaca = await startSlowAlpaca(delayMs);
    running.processes = await SuiteProcesses.start({ ALPACA_PAPER_BASE_URL: alpaca.url });
    running.database = new Client({ connectionString: running.processes.databaseUrl });
    await running.database.connect();
  }, 120_000);
  afterAll(async () => {
    await running.database?.end();
    await running.processes?.stop();
    alpaca?.stop();
  }, 30_000);
  return running;
}
