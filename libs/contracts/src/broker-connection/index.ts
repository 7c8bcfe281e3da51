export * from './broker-connection.events';
export * from './broker-connection.commands';
export * from './broker-connection.upcasters';
