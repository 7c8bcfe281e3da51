import { Logger } from '@nestjs/common';
import { Kafka, type logCreator, logLevel } from 'kafkajs';
import { ACCEPTED_KAFKAJS_WARNINGS } from '../topics/producers';

const kafkaLogger = new Logger('kafkajs');

/** Routes kafkajs' own logging through the service logger, warnings and above only: its info level is chatter. */
const toNestLogger: logCreator =
  () =>
  ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
    if (level > logLevel.ERROR && ACCEPTED_KAFKAJS_WARNINGS.includes(message)) return;
    const line = `${namespace}: ${message}${Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : ''}`;
    if (level <= logLevel.ERROR) kafkaLogger.error(line);
    else kafkaLogger.warn(line);
  };

export function createKafka(clientId: string, brokers: string): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers.split(','),
    logLevel: logLevel.WARN,
    logCreator: toNestLogger,
    connectionTimeout: 3000,
    // Bounded so start-up and readiness report an unreachable broker within seconds instead of minutes.
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
  });
}
