import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import { AlpacaTradingAdapter } from '../adapters/alpaca-trading.adapter';
import { AlpacaTradeStream } from './alpaca-trade-stream';
import { OrderUpdates } from './order-updates';
import { TradingAccounts, TradingAccount } from './trading-accounts';

export interface TradeStreamStatus {
  readonly listening: boolean;
  readonly reconnections: number;
  readonly lastReconciledFills: number;
}

/**
 * One `trade_updates` stream per connected Alpaca account, opened when its connection is
 * connected and closed when it no longer is (checked every BROKER_STREAM_SCAN_MS).
 */
@Injectable()
export class TradeStreams implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TradeStreams');
  private readonly streams = new Map<string, { stream: AlpacaTradeStream; status: TradeStreamStatus }>();
  private scan: NodeJS.Timeout | undefined;
  private syncing = false;

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService<BrokerConnectionEnv, true>,
    @Inject(TradingAccounts) private readonly accounts: TradingAccounts,
    @Inject(OrderUpdates) private readonly updates: OrderUpdates,
    @Inject(AlpacaTradingAdapter) private readonly alpaca: AlpacaTradingAdapter,
  ) {}

  onApplicationBootstrap(): void {
    this.scan = setInterval(
      () => void this.sync(),
      this.config.get('BROKER_STREAM_SCAN_MS', { infer: true }),
    );
    void this.sync();
  }

  onModuleDestroy(): void {
    clearInterval(this.scan);
    this.streams.forEach(({ stream }) => stream.close());
    this.streams.clear();
  }

  /** Per connection id: whether its stream listens, how often it came back, what the last reconciliation found. */
  statuses(): Record<string, TradeStreamStatus> {
    return Object.fromEntries([...this.streams].map(([id, { status }]) => [id, status]));
  }

  private async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const wanted = new Map(
        (await this.accounts.connected()).map((account) => [account.connectionId, account]),
      );
      for (const [connectionId, { stream }] of this.streams)
        if (!wanted.has(connectionId)) {
          stream.close();
          this.streams.delete(connectionId);
        }
      for (const account of wanted.values()) if (!this.streams.has(account.connectionId)) this.open(account);
    } catch (error) {
      this.logger.warn(`could not check which broker streams to keep open: ${(error as Error).message}`);
    } finally {
      this.syncing = false;
    }
  }

  private open(account: TradingAccount): void {
    const entry = { status: { listening: false, reconnections: 0, lastReconciledFills: 0 } } as {
      stream: AlpacaTradeStream;
      status: TradeStreamStatus;
    };
    entry.stream = new AlpacaTradeStream(
      this.alpaca.streamUrl(account.session),
      account.session.credentials,
      {
        update: async (snapshot, execution) => void (await this.updates.apply(account, snapshot, execution)),
        listening: async () => {
          entry.status = { ...entry.status, listening: true, reconnections: entry.stream.reconnections };
          const fills = await this.updates.reconcile(account);
          entry.status = { ...entry.status, lastReconciledFills: fills };
          if (fills)
            this.logger.log(`reconciled ${fills} fill(s) of connection ${account.connectionId} after a gap`);
        },
        refused: () => {
          entry.status = { ...entry.status, listening: false };
          this.logger.warn(`the broker refused the stream of connection ${account.connectionId}`);
        },
        closed: () => (entry.status = { ...entry.status, listening: false }),
        failed: (error) =>
          this.logger.warn(`stream update of ${account.connectionId} failed: ${error.message}`),
      },
      {
        heartbeatMs: this.config.get('BROKER_STREAM_HEARTBEAT_MS', { infer: true }),
        reconnectInitialMs: 250,
        reconnectMaxMs: this.config.get('BROKER_STREAM_RECONNECT_MAX_MS', { infer: true }),
      },
    );
    this.streams.set(account.connectionId, entry);
    entry.stream.open();
  }
}
