import { parseEnvelope, type Envelope } from '@tradecore/eventing';

/** One record as the topic browser shows it: where it is, its key and headers, and its envelope decoded. */
export interface BrowsedMessage {
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Null when the value is not a TradeCore envelope (then `raw` holds it, cut to 4 KiB). */
  readonly envelope: Envelope | null;
  readonly raw?: string;
  readonly problem?: string;
}

export interface MessageFilter {
  readonly key?: string;
  readonly messageId?: string;
  readonly correlationId?: string;
  readonly type?: string;
  /** Case-insensitive text anywhere in the value. */
  readonly text?: string;
}

const RAW_LIMIT = 4096;

export interface KafkaRecordView {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

export function browsedMessage(partition: number, record: KafkaRecordView): BrowsedMessage {
  const headers = Object.fromEntries(
    Object.entries(record.headers ?? {}).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, (Array.isArray(value) ? value : [value]).map(String).join(',')]],
    ),
  );
  const base = {
    partition,
    offset: record.offset,
    timestamp: new Date(Number(record.timestamp)).toISOString(),
    key: record.key?.toString() ?? null,
    headers,
  };
  try {
    return { ...base, envelope: parseEnvelope(record.value) };
  } catch (error) {
    const raw = record.value?.toString() ?? '';
    return {
      ...base,
      envelope: null,
      raw: raw.length > RAW_LIMIT ? `${raw.slice(0, RAW_LIMIT)}…` : raw,
      problem: (error as Error).message,
    };
  }
}

export function matchesFilter(message: BrowsedMessage, value: string, filter: MessageFilter): boolean {
  const { envelope } = message;
  if (filter.key !== undefined && message.key !== filter.key) return false;
  if (filter.messageId !== undefined && envelope?.messageId !== filter.messageId) return false;
  if (filter.correlationId !== undefined && envelope?.correlationId !== filter.correlationId) return false;
  if (filter.type !== undefined && envelope?.type !== filter.type) return false;
  if (filter.text !== undefined && !value.toLowerCase().includes(filter.text.toLowerCase())) return false;
  return true;
}
