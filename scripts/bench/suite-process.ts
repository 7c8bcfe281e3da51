import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RunningSuite {
  readonly gatewayUrl: string;
  /** The launcher's process: the apps are its children, the embedded dev broker runs inside it. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** `npm start` as its own process (its dev broker must not share the load generator's event loop); logs go to a file. */
export async function startSuite(
  env: NodeJS.ProcessEnv,
  logFile: string,
  launcherArgs: readonly string[] = [],
): Promise<RunningSuite> {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/start.ts', '--raw-logs', ...launcherArgs],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  await new Promise<void>((ready, fail) => {
    const onExit = (code: number | null) =>
      fail(new Error(`the launcher exited (${code}) before the suite was up; see ${logFile}`));
    child.once('exit', onExit);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('TradeCore is running')) {
        child.off('exit', onExit);
        ready();
      }
    });
  });
  return {
    gatewayUrl: `http://127.0.0.1:${env.GATEWAY_PORT}`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGINT');
      await exited;
      log.end();
    },
  };
}
