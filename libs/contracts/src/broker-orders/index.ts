export * from './broker-orders.events';
