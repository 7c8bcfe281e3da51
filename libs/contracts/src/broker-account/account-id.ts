import { v5 as uuidv5 } from 'uuid';

const ACCOUNT_ID_NAMESPACE = '0d0f6a4e-7b0c-4c0e-9a55-8b1f2f3c4d5e';

/**
 * A broker account's id, derived so linking the same broker account to the same connection twice
 * yields the same id, and so broker-connection can tell which listed accounts are linked already.
 */
export const brokerAccountIdOf = (connectionId: string, externalAccountId: string): string =>
  uuidv5(`${connectionId}/${externalAccountId}`, ACCOUNT_ID_NAMESPACE);
