import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@tradecore/auth';
import { SIGNING_KEY, SigningKey } from '../../infrastructure/signing-key';

/** The public key that verifies access tokens, for verifiers that fetch it instead of configuring AUTH_PUBLIC_KEY. */
@ApiTags('auth')
@Controller('auth/.well-known')
export class JwksController {
  constructor(@Inject(SIGNING_KEY) private readonly key: SigningKey) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ description: 'RFC 7517 JSON Web Key Set' })
  jwks(): { keys: Readonly<Record<string, string>>[] } {
    return { keys: [this.key.jwk] };
  }
}
