import { balancesReportedV1ToV2 } from './broker-connection/broker-connection.upcasters';

/**
 * One step of a contract's evolution: the payload of `type` at `fromSchemaVersion` as the next
 * version. Pure and total: every message ever published at that version must come out valid.
 */
export interface ContractUpcaster {
  readonly type: string;
  readonly fromSchemaVersion: number;
  upcast(payload: unknown): unknown;
}

/** Every contract upcaster; every service's Kafka consumers apply them, so a handler sees only the newest version. */
export const contractUpcasters: readonly ContractUpcaster[] = [balancesReportedV1ToV2];

/** The version each contract type is published at now; absent means 1. */
export const contractSchemaVersions: Readonly<Record<string, number>> = {
  BrokerAccountBalancesReported: 2,
};
