import type { ContractUpcaster } from '../message';
import type { AutomationCreated, AutomationCreatedV1 } from './automation.events';

/**
 * v2 names the account's broker and lets a real account go without a paper account id. Under v1
 * an automation on any account but a paper one was refused (ACCOUNT_NOT_SUPPORTED), so every v1
 * automation trades the virtual broker.
 */
export const automationCreatedV1ToV2: ContractUpcaster = {
  type: 'AutomationCreated',
  fromSchemaVersion: 1,
  upcast: (payload): AutomationCreated['payload'] => ({
    ...(payload as AutomationCreatedV1['payload']),
    broker: 'virtual',
  }),
};
