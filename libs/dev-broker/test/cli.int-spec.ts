import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { kafkaFor, uniqueName } from './support/kafka-fixture';

const ROOT = path.resolve(__dirname, '../../..');

describe('the broker CLI', () => {
  it('says where it listens, serves kafkajs and stops cleanly on SIGINT', async () => {
    const child = spawn(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['libs/dev-broker/src/cli.ts', '--port', '0', '--nodes', '2'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const firstLine = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\n')) resolve(output.split('\n')[0]);
      });
      void exited.then((code) => reject(new Error(`cli exited with ${code} before listening`)));
    });
    const match = /^dev-broker listening on (localhost:\d+),(localhost:\d+) \(2 nodes, in memory\)$/.exec(
      firstLine,
    );
    expect(match).not.toBeNull();

    const ports = [match![1], match![2]].map((address) => Number(address.split(':')[1]));
    const admin = kafkaFor({ ports, brokers: [match![1], match![2]], stop: async () => undefined }).admin();
    await admin.connect();
    const topic = uniqueName('cli');
    await admin.createTopics({ topics: [{ topic }] });
    expect(await admin.listTopics()).toContain(topic);
    await admin.disconnect();

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
