import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@tradecore/auth';
import { FieldProblem, ValidationFailedException } from '@tradecore/eventing/nest';
import { CompleteOAuthCommand } from './complete-oauth.handler';
import { OAuthCallbackQueryDto, OAuthCompletedDto } from './oauth-sign-in.dto';
import { assertOAuthBroker } from './start-oauth.controller';

/**
 * Where the broker sends the browser back. It carries no access token of ours: the state,
 * single-use and bound to the user who started the sign-in, is what identifies them.
 */
@ApiTags('broker-connections')
@Controller('broker-connections/oauth')
export class OAuthCallbackController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Get(':broker/callback')
  @Public()
  @ApiOkResponse({ type: OAuthCompletedDto })
  callback(
    @Param('broker') broker: string,
    @Query() query: OAuthCallbackQueryDto,
  ): Promise<OAuthCompletedDto> {
    assertOAuthBroker(broker);
    const problems: FieldProblem[] = [];
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const state = text(query.state);
    const code = text(query.code);
    const error = text(query.error);
    if (!state)
      problems.push({ field: 'state', reason: 'state is required: the broker returns it with the code' });
    if (!code && !error)
      problems.push({ field: 'code', reason: 'code is required unless the broker sent error' });
    if (problems.length > 0) throw new ValidationFailedException(problems);
    const outcome = error ? { error, description: text(query.error_description) } : { code: code as string };
    return this.commandBus.execute(new CompleteOAuthCommand(broker, state as string, outcome));
  }
}
