export * from './virtual-broker.events';
export * from './virtual-broker.commands';
export * from './paper-account-terms';
