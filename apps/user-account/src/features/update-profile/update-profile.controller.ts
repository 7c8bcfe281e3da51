import { Body, Controller, Inject, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { ProfileDto } from '../get-profile/get-profile.query';
import { UpdateProfileDto } from './update-profile.dto';
import { UpdateProfileCommand } from './update-profile.handler';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UpdateProfileController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Patch('me')
  @ApiOkResponse({ type: ProfileDto })
  update(@CurrentUser() user: AuthenticatedUser, @Body() body: UpdateProfileDto): Promise<ProfileDto> {
    return this.commands.execute(new UpdateProfileCommand(user.userId, body));
  }
}
