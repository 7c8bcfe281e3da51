import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LaunchedSuite } from '../support/launched-suite';

// `npm start` as a person uses it: the suite comes up, answers through the gateway, and
// Ctrl-C leaves no process behind. Runs the compiled apps (npm test builds first).
const gatewayPort = 3400;

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'launcher-'));
  let suite: LaunchedSuite | undefined;

  afterAll(async () => {
    // Only when the test failed midway; stop() kills what is left of the tree.
    await suite?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings the suite up behind the gateway and leaves no process behind after SIGINT', async () => {
    const logFile = join(dataDir, 'launcher.log');
    const launched = await LaunchedSuite.start(
      {
        ...process.env,
        GATEWAY_PORT: String(gatewayPort),
        DEV_BROKER_PORT: '9492',
        DEV_BROKER_DATA_DIR: join(dataDir, 'kafka'),
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tradecore_launcher_test',
        REDIS_URL: 'redis://127.0.0.1:6379/6',
      },
      logFile,
    );
    suite = launched;
    const jwks = await fetch(`http://127.0.0.1:${gatewayPort}/api/auth/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: unknown[] }).keys).toHaveLength(1);
    // The launcher and its six apps at least (tsx may add a helper of its own).
    expect(launched.processCount).toBeGreaterThanOrEqual(7);

    // stop() sends SIGINT and throws naming any process still alive afterwards.
    expect(await launched.stop()).toEqual({ exitCode: 0 });
    suite = undefined;
    expect(launched.recentOutput).toContain('launcher: stopped');
    await expect(fetch(`http://127.0.0.1:${gatewayPort}/health/live`)).rejects.toThrow();
    // A clean start warns about nothing: a warning at every start teaches people to ignore warnings.
    const kafkaWarnings = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"context":"kafkajs"'));
    expect(kafkaWarnings).toEqual([]);
  }, 300_000);
});
