export { startDevBroker, DEV_BROKER_DEFAULTS } from './dev-broker';
export type { DevBrokerHandle, DevBrokerOptions } from './dev-broker';
export type { BrokerLogger } from './logger';
export type { BrokerNode } from './groups';
