export * from './ops.telemetry';
