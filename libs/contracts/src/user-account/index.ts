export * from './user-account.events';
export * from './user-account.commands';
