import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { currentMessageContext, runInMessageContext } from '@tradecore/eventing';
import { EventingExceptionFilter, PUBLIC_ROUTE } from '@tradecore/eventing/nest';
import { SetMetadata } from '@nestjs/common';
import request from 'supertest';
import { AuthenticatedUser } from './access-token';
import { CurrentUser, Public, Roles } from './auth.decorators';
import { AuthModule } from './auth.module';
import { TokenRevocations } from './token-revocations';
import { createTestKeyPair, signTestToken } from './testing';

const keys = createTestKeyPair();

@Controller()
class ProbeController {
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser) {
    return { user, contextUserId: currentMessageContext()?.userId };
  }

  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @SetMetadata(PUBLIC_ROUTE, true)
  @Get('probe')
  probe() {
    return { up: true };
  }

  @Roles('admin')
  @Get('admin')
  admin() {
    return { admin: true };
  }
}

@Module({ imports: [AuthModule.forRoot()], controllers: [ProbeController] })
class ProbeModule {}

describe('AuthGuard', () => {
  let app: INestApplication;

  beforeAll(async () => {
    // Literal "\n" escapes, as in a one-line env file.
    process.env.AUTH_PUBLIC_KEY = keys.publicKeyPem.replace(/\n/g, '\\n');
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new EventingExceptionFilter());
    app.use((_req: unknown, _res: unknown, next: () => void) =>
      runInMessageContext({ correlationId: 'c-1', messageId: null }, next),
    );
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    delete process.env.AUTH_PUBLIC_KEY;
  });

  const get = (path: string, token?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return token === undefined ? call : call.set('Authorization', token);
  };

  it('passes a valid token and puts the user into the request and the message context', async () => {
    const token = signTestToken(keys.privateKeyPem, { userId: 'u-1' });
    const response = await get('/me', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: { userId: 'u-1', role: 'user' }, contextUserId: 'u-1' });
  });

  it('answers a request without a token with 401 MISSING_TOKEN', async () => {
    const response = await get('/me');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'MISSING_TOKEN' });
  });

  it.each([
    [
      'an expired token',
      () => `Bearer ${signTestToken(keys.privateKeyPem, { userId: 'u-1', expiresInSeconds: -5 })}`,
    ],
    ['another key', () => `Bearer ${signTestToken(createTestKeyPair().privateKeyPem, { userId: 'u-1' })}`],
    ['a non-bearer scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['garbage', () => 'Bearer abc.def.ghi'],
  ])('answers %s with 401 INVALID_TOKEN', async (_case, header) => {
    const response = await get('/me', header());
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('answers a token of an ended session with 401 TOKEN_REVOKED, and still passes its other sessions', async () => {
    const revoked = signTestToken(keys.privateKeyPem, { userId: 'u-1', sessionId: 's-ended' });
    const other = signTestToken(keys.privateKeyPem, { userId: 'u-1', sessionId: 's-other' });
    expect((await get('/me', `Bearer ${revoked}`)).status).toBe(200);

    app
      .get(TokenRevocations)
      .revoke({ kind: 'session', userId: 'u-1', sessionId: 's-ended', at: Date.now() });

    expect((await get('/me', `Bearer ${revoked}`)).body).toMatchObject({
      statusCode: 401,
      code: 'TOKEN_REVOKED',
    });
    expect((await get('/me', `Bearer ${other}`)).status).toBe(200);
  });

  it('ignores user headers set upstream', async () => {
    const response = await request(app.getHttpServer()).get('/me').set('x-user-id', 'u-1');
    expect(response.status).toBe(401);
  });

  it('lets @Public routes and routes marked by eventing (health, metrics) through', async () => {
    expect((await get('/open')).status).toBe(200);
    expect((await get('/probe')).status).toBe(200);
  });

  it('refuses a user on an admin route with 403 FORBIDDEN and lets an admin in', async () => {
    const user = signTestToken(keys.privateKeyPem, { userId: 'u-1' });
    const admin = signTestToken(keys.privateKeyPem, { userId: 'a-1', role: 'admin' });
    expect((await get('/admin', `Bearer ${user}`)).body).toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN',
    });
    expect((await get('/admin', `Bearer ${admin}`)).status).toBe(200);
  });
});
