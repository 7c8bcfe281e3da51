import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource, Not } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { DomainError } from '@tradecore/eventing';
import { ConnectionSummaryEntity } from '../../projections/connection-summary.entity';
import { ConnectionViewDto, toConnectionView } from './connection-view.dto';

/** Reads the read model directly; a purged connection is gone, and another user's never existed. */
@ApiTags('broker-connections')
@ApiBearerAuth()
@Controller('broker-connections')
export class GetConnectionController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({ type: [ConnectionViewDto] })
  async list(@CurrentUser() user: AuthenticatedUser): Promise<ConnectionViewDto[]> {
    const rows = await this.dataSource.getRepository(ConnectionSummaryEntity).find({
      where: { userId: user.userId, status: Not('PURGED') },
      order: { requestedAt: 'DESC' },
    });
    return rows.map(toConnectionView);
  }

  @Get(':id')
  @ApiOkResponse({ type: ConnectionViewDto })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) connectionId: string,
  ): Promise<ConnectionViewDto> {
    return toConnectionView(await findOwnedConnection(this.dataSource, connectionId, user.userId));
  }
}

export async function findOwnedConnection(
  dataSource: DataSource,
  connectionId: string,
  userId: string,
): Promise<ConnectionSummaryEntity> {
  const row = await dataSource.getRepository(ConnectionSummaryEntity).findOneBy({ connectionId, userId });
  if (!row || row.status === 'PURGED')
    throw new DomainError('CONNECTION_NOT_FOUND', 'No such broker connection');
  return row;
}
