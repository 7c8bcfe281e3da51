export * from './message';
export * from './topics';
export * from './user-account';
export * from './broker-connection';
export * from './broker-account';
export * from './virtual-broker';
export * from './saga';
export * from './ops';
