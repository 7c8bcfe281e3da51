import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../../..');
const sampleMain = join(root, 'libs/eventing/test/sample-app/main.ts');

function startSampleService(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), [sampleMain], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('service start-up with bad configuration', () => {
  it('stops with one line naming the variable, and a non-zero exit code', async () => {
    const result = await startSampleService({ PORT: 'abc' });

    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Invalid configuration: PORT must be an integer between 1 and 65535 (got "abc")',
    );
    expect(result.stdout.trim()).toBe('');
  });
});
