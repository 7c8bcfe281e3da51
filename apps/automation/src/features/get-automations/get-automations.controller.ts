import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import {
  AutomationView,
  automationOfUser,
  automationsOfUser,
  signalsOf,
  SignalView,
} from './automation-view';

export class SignalsQueryDto {
  @ApiPropertyOptional({ default: 100, description: 'Newest first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** Reads the read model directly, and only the caller's automations. */
@ApiTags('automations')
@ApiBearerAuth()
@Controller('automations')
export class GetAutomationsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  list(@CurrentUser() user: AuthenticatedUser): Promise<AutomationView[]> {
    return automationsOfUser(this.dataSource.manager, user.userId);
  }

  @Get(':id')
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) automationId: string,
  ): Promise<AutomationView> {
    return automationOfUser(this.dataSource.manager, automationId, user.userId);
  }

  @Get(':id/signals')
  @ApiOperation({
    summary: "An automation's signals, newest first",
    description: 'Each with its payload, decision (or the reason it was rejected), order, fills and timings.',
  })
  async signals(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) automationId: string,
    @Query() query: SignalsQueryDto,
  ): Promise<SignalView[]> {
    await automationOfUser(this.dataSource.manager, automationId, user.userId);
    return signalsOf(this.dataSource.manager, automationId, query.limit ?? 100);
  }
}
