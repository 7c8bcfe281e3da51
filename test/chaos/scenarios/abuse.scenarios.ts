import fc from 'fast-check';
import { APPS, type App, newLoopbackAddress, progress, schemaOf, SERVICES } from '../support/chaos-stack';
import { fuzzBody, fuzzPathSegment, fuzzQuery } from '../support/fuzz-inputs';
import { type ChaosWorld, concrete } from './chaos-world';

/** fast-check on every documented endpoint, from an address of its own (its login attempts count there). */
export async function fuzzedInputIsRefusedPolitely(world: ChaosWorld): Promise<void> {
  const { client, stack, summary } = world;
  const failures: string[] = [];
  let tried = 0;
  let fiveXx = 0;
  const fuzzer = await client.signUp();
  const from = newLoopbackAddress();
  for (const endpoint of world.endpoints) {
    // Revoking the fuzzing user's own sessions would only test 401s from then on.
    if (endpoint.path.includes('/me') && /logout|password|DELETE/.test(`${endpoint.path} ${endpoint.method}`))
      continue;
    progress(`fuzzing ${endpoint.method} ${endpoint.path}`);
    const token = /^\/ops|market/.test(endpoint.path) ? stack.adminToken() : fuzzer.token;
    await fc.assert(
      fc.asyncProperty(fuzzBody(), fuzzPathSegment(), fuzzQuery(), async (body, segment, query) => {
        tried++;
        const path = concrete(endpoint.path, { id: segment }) + query;
        const raw = endpoint.method === 'GET' ? undefined : (body.raw ?? JSON.stringify(body.value));
        const result = await client
          .http(endpoint.method, path, token, undefined, raw, { from })
          .catch((error: Error) => ({ status: 599, text: `no answer: ${error.message}`, body: undefined }));
        const request = `${endpoint.method} ${path.slice(0, 80)} ${raw?.slice(0, 80) ?? ''}`;
        if (result.status >= 500) {
          fiveXx++;
          failures.push(`${request} → ${result.status} ${result.text.slice(0, 200)}`);
        } else if (result.status >= 400) {
          const message = result.body?.message;
          const named = (typeof message === 'string' || Array.isArray(message)) && message.length > 0;
          if (!named || !result.body?.code)
            failures.push(
              `${request} → ${result.status} without a message/code: ${result.text.slice(0, 200)}`,
            );
        }
      }),
      { numRuns: world.scale.fuzzRuns, seed: Number(process.env.CHAOS_SEED ?? 4242) },
    );
  }
  const crashed = (Object.keys(APPS) as App[]).filter((app) => !stack.running(app));
  summary.add('input fuzzing (fast-check)', {
    inputs: tried,
    fiveXx,
    faults: tried,
    survived: tried - failures.length,
  });
  expect(crashed).toEqual([]);
  expect(failures.slice(0, 20)).toEqual([]);
}

/** Passwords, broker credentials, role passwords and the signing and credentials keys, searched for everywhere they could leak. */
export async function noSecretLeaks(world: ChaosWorld): Promise<void> {
  const { client, stack, summary } = world;
  const secrets = [...stack.secrets, ...client.secretsGiven].filter((secret) => secret.length >= 8);
  const places: Record<string, string> = {};
  for (const app of Object.keys(APPS) as App[]) places[`${app} logs`] = stack.logs(app);
  for (const app of SERVICES)
    places[`${app} events`] = JSON.stringify(
      await stack.sql(`SELECT payload, metadata FROM ${schemaOf(app)}.events`),
    );
  const admin = stack.kafka().admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((name) => !name.startsWith('__'));
  await admin.disconnect();
  for (const topic of topics)
    places[`kafka ${topic}`] = (await stack.readTopic(topic))
      .map((message) => message.key + message.value + JSON.stringify(message.headers))
      .join('\n');
  places['error responses'] = client.errorResponses.join('\n');
  const leaks: string[] = [];
  for (const [place, text] of Object.entries(places))
    for (const secret of secrets)
      if (text.includes(secret)) leaks.push(`${place} contains ${secret.slice(0, 6)}…`);
  summary.add('secrets in logs/events/kafka/errors', {
    faults: 0,
    survived: leaks.length === 0 ? 1 : 0,
    inputs: secrets.length * Object.keys(places).length,
  });
  expect(secrets.length).toBeGreaterThan(10);
  expect(Object.keys(places).length).toBeGreaterThan(10);
  expect(leaks).toEqual([]);
}
