import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@tradecore/auth';
import { RegisteredDto, RegisterUserDto } from './register-user.dto';
import { RegisterUserCommand } from './register-user.handler';

@ApiTags('auth')
@Controller('auth')
export class RegisterUserController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Public()
  @Post('register')
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: RegisteredDto })
  @ApiConflictResponse({ description: 'EMAIL_ALREADY_REGISTERED' })
  register(@Body() body: RegisterUserDto): Promise<RegisteredDto> {
    return this.commands.execute(new RegisterUserCommand(body.email, body.password, body.displayName));
  }
}
