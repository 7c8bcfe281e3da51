import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm start` as a person uses it: the suite comes up, answers through the gateway, and
// Ctrl-C leaves no process behind. Runs the compiled apps (npm test builds first).
const root = join(__dirname, '../..');
const gatewayPort = 3400;

function descendantsOf(pid: number): number[] {
  // ps exits 1 when the process has no children; its (empty) output is still the answer.
  const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => Number(line.trim()))
    .filter((child) => child > 0);
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'launcher-'));
  let launcher: ChildProcess;
  let output = '';

  afterAll(() => {
    // Only when the test failed midway: kill the whole tree, since killing the launcher alone orphans its apps.
    if (launcher?.exitCode === null) {
      for (const pid of [...descendantsOf(launcher.pid!), launcher.pid!]) process.kill(pid, 'SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings the suite up behind the gateway and leaves no process behind after SIGINT', async () => {
    launcher = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--no-build'], {
      cwd: root,
      env: {
        ...process.env,
        GATEWAY_PORT: String(gatewayPort),
        DEV_BROKER_PORT: '9492',
        DEV_BROKER_DATA_DIR: join(dataDir, 'kafka'),
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tradecore_launcher_test',
        REDIS_URL: 'redis://127.0.0.1:6379/6',
      },
    });
    launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', resolve));

    while (!output.includes('TradeCore is running')) {
      if (launcher.exitCode !== null) throw new Error(`the launcher exited early:\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const jwks = await fetch(`http://127.0.0.1:${gatewayPort}/api/auth/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: unknown[] }).keys).toHaveLength(1);

    const processes = descendantsOf(launcher.pid!);
    expect(processes.length).toBeGreaterThanOrEqual(6);
    launcher.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('launcher: stopped');
    // A helper (e.g. tsx's esbuild service) may take a moment to exit after its parent.
    for (let tries = 0; tries < 50 && processes.some(alive); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(processes.filter(alive)).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${gatewayPort}/health/live`)).rejects.toThrow();
  }, 180_000);
});
