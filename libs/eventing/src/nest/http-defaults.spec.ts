import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { securityHeaders } from './http-defaults';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

async function headersServedWith(middleware: Middleware): Promise<Record<string, string>> {
  const server = createServer((req, res) => {
    res.setHeader('X-Powered-By', 'Express');
    middleware(req, res, () => res.end('ok'));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const headers = Object.fromEntries(response.headers);
    delete headers.date;
    return headers;
  } finally {
    await new Promise<void>((closed) => server.close(() => closed()));
  }
}

describe('securityHeaders', () => {
  it('sends exactly the headers helmet sends, and drops X-Powered-By like it', async () => {
    const expected = await headersServedWith(helmet() as Middleware);
    const served = await headersServedWith(securityHeaders());

    expect(served).toEqual(expected);
    expect(served['content-security-policy']).toContain("default-src 'self'");
    expect(served['strict-transport-security']).toBeDefined();
    expect(served['x-powered-by']).toBeUndefined();
  });
});
