export * from './automation.events';
export * from './automation.commands';
