import { automationCreatedV1ToV2 } from './automation/automation.upcasters';
import { balancesReportedV1ToV2 } from './broker-connection/broker-connection.upcasters';
import type { ContractUpcaster } from './message';

/** Every contract upcaster: every event store and every Kafka consumer applies them, so a reader sees only the newest version. */
export const contractUpcasters: readonly ContractUpcaster[] = [
  balancesReportedV1ToV2,
  automationCreatedV1ToV2,
];

/** The version each contract type is published at now; absent means 1. */
export const contractSchemaVersions: Readonly<Record<string, number>> = {
  BrokerAccountBalancesReported: 2,
  AutomationCreated: 2,
};
