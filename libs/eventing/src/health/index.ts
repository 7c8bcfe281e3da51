export { ConsumersHealthIndicator } from './consumers.health';
export { DatabaseHealthIndicator } from './database.health';
export { HealthController } from './health.controller';
export { KafkaHealthIndicator } from './kafka.health';
export { OutboxHealthIndicator } from './outbox.health';
export { RedisHealthIndicator } from './redis.health';
export { LoopHeartbeat, LoopHeartbeats } from './loop-heartbeats';
export type { StalledLoop } from './loop-heartbeats';
export { LoopsHealthIndicator } from './loops.health';
