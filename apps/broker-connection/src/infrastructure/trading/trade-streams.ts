import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type BackgroundWork, RunsInWorkers } from '@tradecore/eventing/nest';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import { BrokerTrading } from './broker-trading';
import { OrderUpdates } from './order-updates';
import { StreamLeases } from './stream-leases';
import type { TradeStream } from './trade-stream';
import { TradingAccounts, TradingAccount } from './trading-accounts';

export interface TradeStreamStatus {
  readonly accountId: string;
  readonly listening: boolean;
  readonly reconnections: number;
  readonly lastReconciledFills: number;
}

interface Entry {
  stream: TradeStream;
  status: TradeStreamStatus;
}

/**
 * One broker stream per connected real account (Alpaca's `trade_updates`, TradeStation's order
 * stream) across all replicas: every BROKER_STREAM_SCAN_MS a replica renews the leases of the
 * accounts it streams and takes those nobody holds (`stream-leases.ts`), opens a stream for each
 * lease it got and closes one whose lease or connection is gone. A replica that cannot renew for a
 * whole lease closes its streams, since another one may hold them by then.
 */
@Injectable()
@RunsInWorkers()
export class TradeStreams implements BackgroundWork, OnModuleDestroy {
  private readonly logger = new Logger('TradeStreams');
  private readonly streams = new Map<string, Entry>();
  private readonly connectionIds = new Map<string, string>();
  private scan: NodeJS.Timeout | undefined;
  private syncing = false;
  private renewedAt = Date.now();

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService<BrokerConnectionEnv, true>,
    @Inject(TradingAccounts) private readonly accounts: TradingAccounts,
    @Inject(OrderUpdates) private readonly updates: OrderUpdates,
    @Inject(BrokerTrading) private readonly trading: BrokerTrading,
    @Inject(StreamLeases) private readonly leases: StreamLeases,
  ) {}

  start(): void {
    this.scan = setInterval(
      () => void this.sync(),
      this.config.get('BROKER_STREAM_SCAN_MS', { infer: true }),
    );
    void this.sync();
  }

  /** Lets go of every lease, so another replica takes the accounts over on its next scan. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.scan);
    const held = [...this.streams.keys()];
    this.streams.forEach(({ stream }) => stream.close());
    this.streams.clear();
    await this.leases
      .release(held)
      .catch((error: Error) =>
        this.logger.warn(`stream leases not released (they expire on their own): ${error.message}`),
      );
  }

  /** Per connection id, the streams this replica holds: listening, how often back, what the last reconciliation found. */
  statuses(): Record<string, TradeStreamStatus> {
    return Object.fromEntries(
      [...this.streams.values()].map(({ status }) => [this.connectionOf(status.accountId), status]),
    );
  }

  private connectionOf(accountId: string): string {
    return this.connectionIds.get(accountId) ?? accountId;
  }

  private async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const wanted = new Map(
        (await this.accounts.connected()).map((account) => [account.accountId, account]),
      );
      const ttlMs = this.config.get('BROKER_STREAM_LEASE_MS', { infer: true });
      const held = await this.leases.claim([...wanted.keys()], ttlMs);
      this.renewedAt = Date.now();
      const unwanted: string[] = [];
      for (const [accountId, { stream }] of this.streams)
        if (!wanted.has(accountId) || !held.has(accountId)) {
          stream.close();
          this.streams.delete(accountId);
          if (!wanted.has(accountId)) unwanted.push(accountId);
          else this.logger.warn(`another replica holds the stream of account ${accountId} now`);
        }
      await this.leases.release(unwanted);
      for (const accountId of held) if (!this.streams.has(accountId)) this.open(wanted.get(accountId)!);
    } catch (error) {
      this.logger.warn(`could not check which broker streams to keep open: ${(error as Error).message}`);
      if (Date.now() - this.renewedAt > this.config.get('BROKER_STREAM_LEASE_MS', { infer: true })) {
        this.streams.forEach(({ stream }) => stream.close());
        this.streams.clear();
      }
    } finally {
      this.syncing = false;
    }
  }

  private open(account: TradingAccount): void {
    this.connectionIds.set(account.accountId, account.connectionId);
    const entry = {
      status: { accountId: account.accountId, listening: false, reconnections: 0, lastReconciledFills: 0 },
    } as Entry;
    const set = (changes: Partial<TradeStreamStatus>) => (entry.status = { ...entry.status, ...changes });
    entry.stream = this.trading.stream(
      account,
      {
        update: async (snapshot, execution) => void (await this.updates.apply(account, snapshot, execution)),
        listening: async () => {
          set({ listening: true, reconnections: entry.stream.reconnections });
          const fills = await this.updates.reconcile(account);
          set({ lastReconciledFills: fills });
          if (fills)
            this.logger.log(`reconciled ${fills} fill(s) of account ${account.accountId} after a gap`);
        },
        refused: () => {
          set({ listening: false });
          this.logger.warn(`the broker refused the stream of account ${account.accountId}`);
        },
        closed: () => set({ listening: false }),
        failed: (error) => this.logger.warn(`stream update of ${account.accountId} failed: ${error.message}`),
      },
      {
        heartbeatMs: this.config.get('BROKER_STREAM_HEARTBEAT_MS', { infer: true }),
        reconnectInitialMs: 250,
        reconnectMaxMs: this.config.get('BROKER_STREAM_RECONNECT_MAX_MS', { infer: true }),
      },
    );
    this.streams.set(account.accountId, entry);
    entry.stream.open();
  }
}
