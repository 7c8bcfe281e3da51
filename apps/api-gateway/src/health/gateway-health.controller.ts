import { Controller, Get, SetMetadata } from '@nestjs/common';
import { PUBLIC_ROUTE } from '@tradecore/eventing/nest';

/**
 * The gateway holds no state and depends on nothing but its services, whose own probes
 * report them; so it is ready whenever it answers, and one slow service never takes
 * the whole front door out of rotation.
 */
@Controller('health')
@SetMetadata(PUBLIC_ROUTE, true)
export class GatewayHealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  ready() {
    return { status: 'ok' };
  }
}
