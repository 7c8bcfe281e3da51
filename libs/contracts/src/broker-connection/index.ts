export * from './broker-connection.events';
export * from './broker-connection.commands';
