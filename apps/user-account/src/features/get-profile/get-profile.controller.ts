import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Roles } from '@tradecore/auth';
import { ValidationFailedException } from '@tradecore/eventing/nest';
import { GetProfileQuery, ProfileDto } from './get-profile.query';

const userIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new ValidationFailedException([{ field: 'userId', reason: 'userId must be a UUID' }]),
});

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class GetProfileController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get('me')
  @ApiOkResponse({ type: ProfileDto })
  me(@CurrentUser() user: AuthenticatedUser): Promise<ProfileDto> {
    return this.queries.execute(new GetProfileQuery(user.userId));
  }

  @Roles('admin')
  @Get(':userId')
  @ApiOkResponse({ type: ProfileDto })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: only admins read other users' })
  byId(@Param('userId', userIdPipe) userId: string): Promise<ProfileDto> {
    return this.queries.execute(new GetProfileQuery(userId));
  }
}
