import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONNECTION_STATUSES } from '../../domain/broker-connection.decider';
import type { ConnectionSummaryEntity } from '../../projections/connection-summary.entity';

export class ConnectionViewDto {
  @ApiProperty() connectionId!: string;
  @ApiProperty({ enum: ['alpaca', 'tradestation', 'virtual'] }) broker!: string;
  @ApiProperty({ enum: ['paper', 'live'] }) mode!: string;
  @ApiProperty({ enum: CONNECTION_STATUSES })
  status!: string;
  @ApiPropertyOptional({ description: 'Why the connection failed: code and message' }) failure?: object;
  @ApiPropertyOptional({
    description: 'Why it is DEGRADED, OFFLINE or NEEDS_REAUTH: code and what the user can do',
  })
  reason?: object;
  @ApiProperty({ type: [String] }) linkedAccountIds!: string[];
  @ApiProperty({ type: [String] }) virtualAccountIds!: string[];
  @ApiPropertyOptional() disconnectionId?: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() version!: number;
}

export function toConnectionView(row: ConnectionSummaryEntity): ConnectionViewDto {
  return {
    connectionId: row.connectionId,
    broker: row.broker,
    mode: row.mode,
    status: row.status,
    ...(row.failure && { failure: row.failure }),
    ...(row.statusReason && { reason: row.statusReason }),
    linkedAccountIds: row.linkedAccountIds,
    virtualAccountIds: row.virtualAccountIds,
    ...(row.disconnectionId && { disconnectionId: row.disconnectionId }),
    requestedAt: row.requestedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}
