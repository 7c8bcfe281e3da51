/**
 * The fields of messages that could lead back to a person, by message type: a real broker's
 * account number and account name, and balances. `subject` is the payload field naming whose they
 * are. Services that write these types seal the fields with that user's key (libs/eventing's
 * PersonalData) and shred the key when the user is deleted: see docs/privacy.md.
 *
 * user-account's events carry no personal data at all (email, name and password hash live in its
 * users table, erased in place). Ids (user, connection, account) are random and stay readable.
 */
export interface PersonalFieldsOfType {
  readonly subject: string;
  readonly fields: readonly string[];
}

export const personalFields: Readonly<Record<string, PersonalFieldsOfType>> = {
  BrokerAccountsLinked: {
    subject: 'userId',
    fields: ['accounts[].externalAccountId', 'accounts[].displayName'],
  },
  BrokerAccountBalanceUpdated: { subject: 'userId', fields: ['cash', 'buyingPower', 'equity'] },
};
