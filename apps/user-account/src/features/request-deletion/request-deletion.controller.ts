import { Controller, Delete, HttpCode, HttpStatus, Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { RequestDeletionCommand } from './request-deletion.handler';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class RequestDeletionController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  /** 202: the UserDeletion saga disconnects every broker connection, then erases the account. */
  @Delete('me')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ description: 'Deletion requested; sessions are revoked' })
  @ApiConflictResponse({ description: 'USER_DELETION_ALREADY_REQUESTED' })
  request(@CurrentUser() user: AuthenticatedUser) {
    return this.commands.execute(new RequestDeletionCommand(user.userId));
  }
}
