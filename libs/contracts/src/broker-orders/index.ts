export * from './broker-orders.commands';
export * from './broker-orders.events';
