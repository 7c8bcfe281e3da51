export * from './saga.replies';
export * from './saga.events';
