import { SANDBOX_SECRET } from './sandbox-credentials';

/** What `npm run sandbox` and `npm start` print, so nobody mistakes the sandbox for Alpaca. */
export function alpacaSandboxBanner(url: string): string {
  return `ALPACA SANDBOX (a local test double, not Alpaca; no real orders) at ${url}
  stream      ${url.replace(/^http/, 'ws')}/stream
  keys        any key id PKTEST + 4-40 letters/digits (e.g. PKTESTDEMO01), secret "${SANDBOX_SECRET}"
  use it      ALPACA_PAPER_BASE_URL=${url}`;
}
