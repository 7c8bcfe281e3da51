export * from './saga.replies';
