import WebSocket from 'ws';

// The example client of docs/realtime.md: prints a user's updates and never misses one, reconnecting
// with `since` after a drop. `ACCESS_TOKEN=… npx tsx scripts/realtime-client.ts [gateway URL]`.

interface Update {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly payload: Record<string, unknown>;
}
type Message =
  Update | { readonly type: 'welcome' | 'heartbeat' | 'resync'; readonly payload: { seq: number } };

const gateway = (process.argv[2] ?? process.env.GATEWAY_URL ?? 'http://localhost:3000').replace(
  /^http/,
  'ws',
);
const token = process.env.ACCESS_TOKEN;
if (!token) throw new Error('set ACCESS_TOKEN to an access token (POST /api/auth/login answers one)');

let lastSeq: number | undefined;
let retryMs = 500;

function connect(): void {
  const since = lastSeq === undefined ? '' : `?since=${lastSeq}`;
  const socket = new WebSocket(`${gateway}/api/realtime${since}`, ['bearer', token!]);
  socket.on('open', () => (retryMs = 500));
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Message | Message[];
    // A client that fell behind gets its updates as one array per frame.
    for (const message of Array.isArray(frame) ? frame : [frame]) handle(message);
  });
  socket.on('unexpected-response', (_request, response) => {
    console.error(`refused: ${response.statusCode} (401: log in again for a fresh token)`);
    process.exit(1);
  });
  socket.on('close', (code, reason) => {
    if (code === 4403) return console.error('this login was ended; log in again');
    console.error(`closed ${code} ${String(reason)}; resuming after seq ${lastSeq} in ${retryMs} ms`);
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  });
  socket.on('error', () => undefined);
}

function handle(message: Message): void {
  if ('seq' in message) {
    lastSeq = message.seq;
    return console.log(`#${message.seq} ${message.at} ${message.type} ${JSON.stringify(message.payload)}`);
  }
  // welcome: the latest seq now (start from it when not resuming); resync: some updates are gone,
  // so read the current state over REST (GET /api/portfolio, /api/broker-connections) and go on.
  if (message.type === 'welcome') {
    console.error(`connected; the latest seq is ${message.payload.seq}`);
    lastSeq ??= message.payload.seq;
  }
  if (message.type === 'resync') {
    console.log(`resync: reload state over REST; continuing after seq ${message.payload.seq}`);
    lastSeq = message.payload.seq;
  }
}

connect();
