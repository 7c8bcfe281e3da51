import { Controller, HttpCode, HttpException, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@tradecore/auth';
import { DomainError, VersionConflictError } from '@tradecore/eventing';
import { errorBody, ValidationFailedException } from '@tradecore/eventing/nest';
import { DataSource } from 'typeorm';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { SignalStream } from '../../infrastructure/automation-stream';
import { WebhookRateLimit } from '../../infrastructure/webhook-rate-limit';
import { hashOfToken } from '../../infrastructure/webhook-token';
import { tableOf } from '../../projections/tables';
import type { AutomationEnv } from '../../automation.env';
import { parseWebhookSignal } from './webhook-signal.parser';
import { SIGNATURE_HEADER, signatureProblem, signingSecretOf } from './webhook-signature';

const SIGNAL_ID_NAMESPACE = '6f0c1f0e-2a57-4c38-9d51-5b7c0a3e8f21';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface SignalAcknowledged {
  readonly signalId: string;
  readonly status: 'RECEIVED' | 'DUPLICATE';
}

const unknownToken = () =>
  new DomainError(
    'WEBHOOK_NOT_FOUND',
    'no automation has this webhook URL; copy the current URL from your automation',
  );

/**
 * Alerting tools cannot send a bearer token: the unguessable token in the URL is the credential,
 * so an unknown and a rotated-away token answer alike. The signal is recorded and acknowledged;
 * deciding and trading happen behind, through Kafka.
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class ReceiveWebhookController {
  constructor(
    @Inject(SignalStream) private readonly signals: SignalStream,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhookRateLimit) private readonly rateLimit: WebhookRateLimit,
    @Inject(ConfigService) private readonly config: ConfigService<AutomationEnv, true>,
  ) {}

  @Post(':token')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Receive a signal from an alerting tool (no bearer token: the URL is the credential)',
    description:
      "JSON, also as text/plain, in TradersPost's vocabulary: ticker, action (buy, sell, exit, add), sentiment, quantity, price, signalId, time, takeProfit, stopLoss. 202 with the signal id; a signalId seen before answers 200 DUPLICATE and trades nothing.",
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: { ticker: 'AAPL', action: 'buy', price: '189.42', signalId: 'alert-1' },
    },
  })
  async receive(
    @Param('token') token: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignalAcknowledged> {
    if (!TOKEN.test(token)) throw unknownToken();
    const tokenHash = hashOfToken(token);
    const [automation]: { automation_id: string; user_id: string; signing_secret_id: string | null }[] =
      await this.dataSource.query(
        `SELECT automation_id, user_id, signing_secret_id FROM ${tableOf(this.dataSource, 'automations')}
         WHERE token_hash = $1 AND status <> 'DELETED'`,
        [tokenHash],
      );
    if (!automation) throw unknownToken();
    const retryAfter = await this.rateLimit.retryAfterSeconds(tokenHash);
    if (retryAfter > 0) {
      response.setHeader('Retry-After', String(retryAfter));
      throw new HttpException(
        errorBody(
          429,
          'WEBHOOK_RATE_LIMITED',
          `this webhook takes at most ${this.rateLimit.limitPerMinute} signals a minute; try again in ${retryAfter} seconds`,
          { retryAfterSeconds: retryAfter },
        ),
        429,
      );
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (automation.signing_secret_id) this.verifySignature(automation, request, raw);
    const parsed = parseWebhookSignal(raw.toString('utf8'));
    if ('problems' in parsed) throw new ValidationFailedException(parsed.problems);
    const { signal } = parsed;
    const signalId = signal.signalId
      ? uuidv5(`${automation.automation_id}/${signal.signalId}`, SIGNAL_ID_NAMESPACE)
      : uuidv7();
    try {
      // Appended as a new stream unread: a signal id received before has its first event, so the
      // append at version 1 loses (VersionConflictError), also when two receipts race.
      await this.signals.execute(
        signalId,
        {
          type: 'ReceiveSignal',
          signalId,
          automationId: automation.automation_id,
          userId: automation.user_id,
          signal,
          at: new Date().toISOString(),
        },
        { newStream: true },
      );
      return { signalId, status: 'RECEIVED' };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      response.status(200);
      return { signalId, status: 'DUPLICATE' };
    }
  }

  private verifySignature(
    automation: { automation_id: string; signing_secret_id: string | null },
    request: Request,
    body: Buffer,
  ): void {
    const serverKey = this.config.get('WEBHOOK_SIGNING_KEY', { infer: true });
    if (!serverKey)
      throw new HttpException(
        errorBody(
          503,
          'SIGNING_UNAVAILABLE',
          'signed webhooks cannot be checked: the server has no WEBHOOK_SIGNING_KEY',
        ),
        503,
      );
    const secret = signingSecretOf(serverKey, automation.automation_id, automation.signing_secret_id!);
    const problem = signatureProblem(
      request.header(SIGNATURE_HEADER),
      secret,
      body,
      Math.floor(Date.now() / 1000),
      this.config.get('WEBHOOK_SIGNATURE_TOLERANCE_SECONDS', { infer: true }),
    );
    if (problem) throw new HttpException(errorBody(401, problem.code, problem.message), 401);
  }
}
