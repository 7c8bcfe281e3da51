/**
 * The fields of messages that could lead back to a person, by message type: a real broker's
 * account number and account name, and balances. `subject` is the payload field naming whose they
 * are. A service that writes one of these types seals the fields with that user's key (libs/eventing's
 * PersonalData), or, where `recipient` names the service that reads them off the topic, the topic's
 * copy for that service's public key for the user; every holder shreds its key when the user is
 * deleted: see docs/privacy.md.
 *
 * user-account's events carry no personal data at all (email, name and password hash live in its
 * users table, erased in place). Ids (user, connection, account) are random and stay readable.
 */
export interface PersonalFieldsOfType {
  readonly subject: string;
  readonly fields: readonly string[];
  readonly recipient?: 'broker-account' | 'automation';
}

/**
 * What a service that reads personal data off a topic answers an Issue…DataKey saga command with:
 * its X25519 public key for the user (base64url, raw), which senders seal those fields for.
 */
export interface IssueDataKeyResult {
  readonly publicKey: string;
}

const BALANCE = ['cash', 'buyingPower', 'equity'];

export const personalFields: Readonly<Record<string, PersonalFieldsOfType>> = {
  BrokerAccountsLinked: {
    subject: 'userId',
    fields: ['accounts[].externalAccountId', 'accounts[].displayName'],
  },
  BrokerAccountBalanceUpdated: { subject: 'userId', fields: BALANCE, recipient: 'automation' },
  // Sealed by broker-connection in VerifyBrokerCredentials' reply; the orchestrator passes them on unread.
  LinkBrokerAccounts: {
    subject: 'userId',
    fields: ['accounts[].externalAccountId', 'accounts[].displayName', 'accounts[].balance'],
    recipient: 'broker-account',
  },
  BrokerAccountBalancesReported: {
    subject: 'userId',
    fields: ['balances[].externalAccountId', ...BALANCE.map((field) => `balances[].${field}`)],
    recipient: 'broker-account',
  },
  BrokerAccountsChanged: {
    subject: 'userId',
    fields: ['opened[].externalAccountId', 'opened[].displayName', 'opened[].balance'],
    recipient: 'broker-account',
  },
};
