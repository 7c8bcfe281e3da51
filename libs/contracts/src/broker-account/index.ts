export * from './broker-account.events';
export * from './broker-account.commands';
export * from './account-id';
