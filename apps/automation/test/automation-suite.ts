import { createHmac, randomBytes } from 'node:crypto';
import { type SuitePorts, useLaunchedSuite } from '../../../test/support/launched-suite';
import { eventually } from '@tradecore/eventing/testing';
export { eventually };

// Automations as a user meets them: `npm start`, every call through the gateway, a webhook
// posted the way TradingView posts it, and the paper broker's fill seen on the signal.

/** The answer, its body parsed as JSON (left untyped, as a client reads it). */
const answerOf = async (response: Response) => {
  const text = await response.text();
  return {
    status: response.status,
    correlationId: response.headers.get('x-correlation-id') ?? '',
    body: text ? JSON.parse(text) : undefined,
  };
};

export async function call(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${suiteBase}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answerOf(response);
}

/** As TradingView sends an alert: the JSON message typed by the user, as text/plain, no bearer token. */
export async function alert(webhookUrl: string, message: object) {
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: JSON.stringify(message),
  });
  return answerOf(response);
}

export async function signedAlert(webhookUrl: string, body: string, secret: string, timestamp: number) {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'x-tradecore-signature': `t=${timestamp},v1=${signature}` },
    body,
  });
  return answerOf(response);
}

let suiteBase = '';

export async function signUp(name: string): Promise<string> {
  const email = `${name}-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'correct horse battery staple';
  const registered = await call('POST', '/api/auth/register', undefined, {
    email,
    password,
    displayName: name,
  });
  expect(registered.status).toBe(201);
  return (await call('POST', '/api/auth/login', undefined, { email, password })).body.accessToken;
}

/** The seeded admin's token, for the ops API. */
export const adminToken = async (): Promise<string> =>
  (
    await call('POST', '/api/auth/login', undefined, {
      email: 'admin@tradecore.local',
      password: 'Admin-Passw0rd!',
    })
  ).body.accessToken;

/** A paper connection and its one broker account, once broker-account has linked it. */
export async function connectPaper(userToken: string) {
  const connection = await call('POST', '/api/broker-connections', userToken, {
    broker: 'virtual',
    mode: 'paper',
    paperAccounts: { count: 1, startingCash: '100000.00' },
  });
  expect(connection.status).toBeLessThan(300);
  const { connectionId } = connection.body;
  const account = await eventually(
    async () => (await call('GET', `/api/broker-accounts?connectionId=${connectionId}`, userToken)).body?.[0],
  );
  return {
    connectionId: connectionId as string,
    accountId: account.accountId as string,
    virtualAccountId: account.virtualAccountId as string,
  };
}

/** An automation's sizing that trades `quantity` shares a signal. */
export const shares = (quantity: number) => ({ kind: 'fixed-quantity', quantity });

/** The webhook URL names the public address; the test reaches the same gateway on the loopback. */
export const reachable = (automation: { webhookUrl: string }) =>
  automation.webhookUrl.replace('localhost', '127.0.0.1');

/**
 * The suite launched before the tests of a describe block and stopped after them, with one user
 * (ada) holding one paper account, and the calls the tests make on her behalf.
 */
export function automationSuite(ports: SuitePorts) {
  const ada = { token: '', accountId: '', virtualAccountId: '' };
  useLaunchedSuite(ports);

  beforeAll(async () => {
    suiteBase = `http://127.0.0.1:${ports.gatewayPort}`;
    ada.token = await signUp('ada');
    Object.assign(ada, await connectPaper(ada.token));
  }, 120_000);

  /** The automation service learns of the account through Kafka, so the first attempt may come early. */
  const createAutomation = (settings: object, as = { token: '', accountId: '' }) =>
    eventually(async () => {
      const created = await call('POST', '/api/automations', as.token || ada.token, {
        accountId: as.accountId || ada.accountId,
        ...settings,
      });
      if (created.status === 404) return undefined;
      expect(created.status).toBe(201);
      return created.body;
    });

  const signalsOf = async (automationId: string) =>
    (await call('GET', `/api/automations/${automationId}/signals`, ada.token)).body;

  const signalBecomes = (automationId: string, signalId: string, statuses: string[]) =>
    eventually(async () => {
      const signal = (await signalsOf(automationId)).find(
        (candidate: { signalId: string }) => candidate.signalId === signalId,
      );
      return statuses.includes(signal?.status) ? signal : undefined;
    });

  /** Alerts the automation's webhook with `message` and answers the signal once its status is one of `statuses`. */
  const signalled = async (
    automation: { automationId: string; webhookUrl: string },
    message: object,
    statuses: string[],
  ) => {
    const received = await alert(reachable(automation), message);
    return signalBecomes(automation.automationId, received.body.signalId, statuses);
  };

  return { ada, createAutomation, signalsOf, signalBecomes, signalled };
}
