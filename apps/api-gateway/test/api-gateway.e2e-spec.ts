import {
  createServer,
  type IncomingMessage,
  request as httpRequest,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ApiGatewayModule } from '../src/api-gateway.module';
import { configureGateway } from '../src/configure-gateway';

/** Stands in for a service: echoes what reached it, publishes a small OpenAPI document, never answers /slow. */
function startStubService(): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.endsWith('/slow')) return;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('x-correlation-id', String(req.headers['x-correlation-id']));
      if (req.url === '/docs-json') {
        return res.end(
          JSON.stringify({
            openapi: '3.0.0',
            info: { title: 'stub', version: '1' },
            paths: { '/auth/login': { post: {} }, '/health/live': { get: {} } },
            components: { schemas: { LogInDto: { type: 'object' } } },
          }),
        );
      }
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function startGateway(env: Record<string, string>): Promise<INestApplication> {
  Object.assign(process.env, env);
  const moduleRef = await Test.createTestingModule({ imports: [ApiGatewayModule.forRoot()] }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureGateway(app);
  await app.init();
  return app;
}

describe('api-gateway', () => {
  let stub: Server;
  let gateway: INestApplication;
  const unused = 'http://127.0.0.1:1';

  beforeAll(async () => {
    stub = await startStubService();
    const stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    gateway = await startGateway({
      LOG_LEVEL: 'silent',
      USER_ACCOUNT_URL: stubUrl,
      BROKER_ACCOUNT_URL: stubUrl,
      BROKER_CONNECTION_URL: unused,
      VIRTUAL_BROKER_URL: unused,
      SAGA_ORCHESTRATOR_URL: unused,
      UPSTREAM_TIMEOUT_MS: '500',
      BODY_LIMIT_BYTES: '1024',
      RATE_LIMIT_MAX: '1000',
      CORS_ORIGINS: 'https://app.example.com',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    stub?.closeAllConnections();
    await new Promise((resolve) => stub?.close(resolve));
  });

  const api = () => request(gateway.getHttpServer());

  it('routes by prefix, keeping the path, query, method, body and Authorization header', async () => {
    const response = await api()
      .post('/api/auth/login?x=1')
      .set('Authorization', 'Bearer abc')
      .send({ email: 'ada@example.com' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      method: 'POST',
      url: '/auth/login?x=1',
      headers: { authorization: 'Bearer abc' },
      body: JSON.stringify({ email: 'ada@example.com' }),
    });
  });

  it('forwards the caller’s x-correlation-id and returns it', async () => {
    const response = await api().get('/api/users/me').set('x-correlation-id', 'client-req-7');
    expect(response.body.headers['x-correlation-id']).toBe('client-req-7');
    expect(response.headers['x-correlation-id']).toBe('client-req-7');
  });

  it('assigns a correlation id when the caller sends none, and the service sees the same one', async () => {
    const response = await api().get('/api/users/me');
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body.headers['x-correlation-id']).toBe(response.headers['x-correlation-id']);
  });

  it('tells the service who the client is in X-Forwarded-For', async () => {
    const response = await api().get('/api/users/me');
    expect(response.body.headers['x-forwarded-for']).toMatch(/127\.0\.0\.1/);
  });

  it('tells the service the address it sees, not one a client claims in its own X-Forwarded-For', async () => {
    const response = await api().get('/api/users/me').set('X-Forwarded-For', '203.0.113.9');
    expect(response.body.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('tells the service the prefix it stripped, never one a client claims, so errors name public paths', async () => {
    const response = await api().get('/api/users/me').set('X-Forwarded-Prefix', '/evil');
    expect(response.body.headers['x-forwarded-prefix']).toBe('/api');
  });

  it('keeps connections to the service and to the client alive instead of opening one per request', async () => {
    const opened = () => new Promise<number>((done) => stub.getConnections((_, count) => done(count)));
    await api().get('/api/users/me').set('Connection', 'keep-alive');
    const before = await opened();
    expect(before).toBeGreaterThan(0);
    const responses = [];
    for (let i = 0; i < 5; i += 1)
      responses.push(await api().get('/api/users/me').set('Connection', 'keep-alive'));
    expect(responses.map((response) => response.headers.connection)).toEqual(Array(5).fill('keep-alive'));
    expect(responses.map((response) => response.body.headers.connection)).toEqual(
      Array(5).fill('keep-alive'),
    );
    expect(await opened()).toBe(before);
  });

  it('answers a down service with a JSON 502 naming it', async () => {
    const response = await api().get('/api/broker-connections');
    expect(response.status).toBe(502);
    expect(response.body).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      code: 'UPSTREAM_UNAVAILABLE',
      message: expect.stringContaining('broker-connection'),
      details: { service: 'broker-connection' },
    });
  });

  it('answers a service slower than UPSTREAM_TIMEOUT_MS with a JSON 504 instead of hanging', async () => {
    const started = Date.now();
    const response = await api().get('/api/broker-accounts/slow');
    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { service: 'broker-account' } });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a body above BODY_LIMIT_BYTES with 413 before it reaches a service', async () => {
    const response = await api()
      .post('/api/auth/register')
      .send({ displayName: 'x'.repeat(2000) });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a chunked body that grows past BODY_LIMIT_BYTES without saying its length', async () => {
    const server = gateway.getHttpServer() as Server;
    await new Promise<void>((ready) => (server.listening ? ready() : server.listen(0, '127.0.0.1', ready)));
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const sent = httpRequest(
        { port, method: 'POST', path: '/api/auth/register', headers: { 'content-type': 'application/json' } },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode, body }));
        },
      );
      sent.on('error', reject);
      for (let i = 0; i < 4; i += 1) sent.write(`{"displayName":"${'x'.repeat(500)}"}`);
      sent.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers unknown paths with the shared JSON 404', async () => {
    const response = await api().get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', details: null });
  });

  it('merges the services’ OpenAPI documents at /docs-json and serves Swagger UI at /docs', async () => {
    const document = await api().get('/docs-json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toContain('/api/auth/login');
    expect(Object.keys(document.body.paths)).not.toContain('/health/live');
    expect(document.body.info.description).toContain('broker-connection');
    const ui = await api().get('/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('sets security headers and allows only the configured CORS origins', async () => {
    const allowed = await api()
      .options('/api/users/me')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await api().get('/health/live').set('Origin', 'https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['x-content-type-options']).toBe('nosniff');
    expect(other.headers['strict-transport-security']).toBeDefined();
  });
});

describe('api-gateway rate limit', () => {
  let gateway: INestApplication;

  beforeAll(async () => {
    gateway = await startGateway({
      LOG_LEVEL: 'silent',
      RATE_LIMIT_MAX: '2',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      CORS_ORIGINS: '',
    });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('answers requests over RATE_LIMIT_MAX per window with 429 RATE_LIMITED and Retry-After', async () => {
    const server = gateway.getHttpServer();
    await request(server).get('/health/live');
    await request(server).get('/health/live');
    const limited = await request(server).get('/health/live');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
