import { Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { AutomationSettings, Sizing } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing';
import { live } from '../../domain/automation.decider';
import { AutomationStream } from '../../infrastructure/automation-stream';
import { newWebhookToken } from '../../infrastructure/webhook-token';
import { accountOfUser } from '../../projections/broker-accounts.projection';
import type { AutomationEnv } from '../../automation.env';
import { signingSecretOf } from '../receive-webhook/webhook-signature';
import type { AutomationSettingsDto, CreateAutomationDto, SizingDto } from './automation-settings.dto';

export interface WebhookIssued {
  readonly automationId: string;
  /** Shown once: only its hash is kept. Rotate the token to get a new URL. */
  readonly webhookToken: string;
}

export class CreateAutomationCommand extends Command<WebhookIssued> {
  constructor(
    readonly userId: string,
    readonly dto: CreateAutomationDto,
  ) {
    super();
  }
}

export class ChangeAutomationCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly automationId: string,
    readonly dto: AutomationSettingsDto,
  ) {
    super();
  }
}

export class DeleteAutomationCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly automationId: string,
  ) {
    super();
  }
}

export class RotateWebhookTokenCommand extends Command<WebhookIssued> {
  constructor(
    readonly userId: string,
    readonly automationId: string,
  ) {
    super();
  }
}

export interface SigningSecretIssued {
  readonly automationId: string;
  /** Shown once; derived again from the server key whenever a webhook is checked. */
  readonly signingSecret: string;
}

export class IssueSigningSecretCommand extends Command<SigningSecretIssued> {
  constructor(
    readonly userId: string,
    readonly automationId: string,
  ) {
    super();
  }
}

export class RevokeSigningSecretCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly automationId: string,
  ) {
    super();
  }
}

const sizingOf = (dto: SizingDto): Sizing =>
  dto.kind === 'fixed-quantity'
    ? { kind: dto.kind, quantity: dto.quantity! }
    : dto.kind === 'cash'
      ? { kind: dto.kind, amount: dto.amount! }
      : { kind: dto.kind, percent: dto.percent! };

function settingsOf(dto: AutomationSettingsDto): Partial<AutomationSettings> {
  const { active: _active, sizing, ...rest } = dto;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return { ...defined, ...(sizing && { sizing: sizingOf(sizing) }) };
}

const DEFAULTS = {
  symbol: null,
  orderType: 'market',
  limitOffsetPercent: '0',
  timeInForce: 'day',
  maxEntriesPerDirection: 1,
  onOppositeSignal: 'close',
} as const;

/** Only the caller's own broker accounts, paper or real: the account's broker decides where its orders go. */
@CommandHandler(CreateAutomationCommand)
export class CreateAutomationHandler implements ICommandHandler<CreateAutomationCommand> {
  constructor(
    @Inject(AutomationStream) private readonly stream: AutomationStream,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  async execute({ userId, dto }: CreateAutomationCommand): Promise<WebhookIssued> {
    const account = await accountOfUser(this.dataSource.manager, dto.accountId, userId);
    if (!account || account.status !== 'ACTIVE')
      throw new DomainError(
        'ACCOUNT_NOT_FOUND',
        'no active broker account with this id belongs to you; pick one from GET /api/broker-accounts',
      );
    const automationId = uuidv7();
    const { token, tokenHash } = newWebhookToken();
    await this.stream.execute(automationId, {
      type: 'CreateAutomation',
      automationId,
      userId,
      account: {
        accountId: account.accountId,
        connectionId: account.connectionId,
        broker: account.broker,
        virtualAccountId: account.virtualAccountId,
      },
      settings: { ...DEFAULTS, ...settingsOf(dto) } as AutomationSettings,
      active: dto.active ?? true,
      tokenHash,
      at: new Date().toISOString(),
    });
    return { automationId, webhookToken: token };
  }
}

/** Settings, then pause or resume: each its own event, so the history says what changed. */
@CommandHandler(ChangeAutomationCommand)
export class ChangeAutomationHandler implements ICommandHandler<ChangeAutomationCommand> {
  constructor(@Inject(AutomationStream) private readonly stream: AutomationStream) {}

  async execute({ userId, automationId, dto }: ChangeAutomationCommand): Promise<void> {
    const at = new Date().toISOString();
    const changes = settingsOf(dto);
    if (Object.keys(changes).length > 0 || dto.active === undefined)
      await this.stream.execute(automationId, { type: 'UpdateAutomation', requestedBy: userId, changes, at });
    if (dto.active !== undefined)
      await this.stream.execute(automationId, {
        type: dto.active ? 'ResumeAutomation' : 'PauseAutomation',
        requestedBy: userId,
        at,
      });
  }
}

@CommandHandler(DeleteAutomationCommand)
export class DeleteAutomationHandler implements ICommandHandler<DeleteAutomationCommand> {
  constructor(@Inject(AutomationStream) private readonly stream: AutomationStream) {}

  async execute({ userId, automationId }: DeleteAutomationCommand): Promise<void> {
    const state = (await this.stream.load(automationId)).state;
    if (state.status === 'ABSENT' || state.status === 'DELETED' || state.userId !== userId)
      throw new DomainError(
        'AUTOMATION_NOT_FOUND',
        'no automation with this id belongs to you; check the id',
      );
    await this.stream.execute(automationId, {
      type: 'DeleteAutomation',
      requestedBy: userId,
      cause: 'user',
      at: new Date().toISOString(),
    });
  }
}

/** The old URL stops working at once (404, like an unknown one). */
@CommandHandler(RotateWebhookTokenCommand)
export class RotateWebhookTokenHandler implements ICommandHandler<RotateWebhookTokenCommand> {
  constructor(@Inject(AutomationStream) private readonly stream: AutomationStream) {}

  async execute({ userId, automationId }: RotateWebhookTokenCommand): Promise<WebhookIssued> {
    const { token, tokenHash } = newWebhookToken();
    await this.stream.execute(automationId, {
      type: 'RotateWebhookToken',
      requestedBy: userId,
      tokenHash,
      at: new Date().toISOString(),
    });
    return { automationId, webhookToken: token };
  }
}

/** A new secret replaces the old one at once; from now on every webhook must be signed with it. */
@CommandHandler(IssueSigningSecretCommand)
export class IssueSigningSecretHandler implements ICommandHandler<IssueSigningSecretCommand> {
  constructor(
    @Inject(AutomationStream) private readonly stream: AutomationStream,
    @Inject(ConfigService) private readonly config: ConfigService<AutomationEnv, true>,
  ) {}

  async execute({ userId, automationId }: IssueSigningSecretCommand): Promise<SigningSecretIssued> {
    const serverKey = this.config.get('WEBHOOK_SIGNING_KEY', { infer: true });
    // Someone else's id answers as a missing one first, whatever this deployment's configuration.
    live((await this.stream.load(automationId)).state, userId);
    if (!serverKey)
      throw new DomainError(
        'SIGNING_NOT_CONFIGURED',
        'this deployment has no WEBHOOK_SIGNING_KEY, so webhooks cannot be signed; ask its operator to set one',
      );
    const secretId = uuidv7();
    await this.stream.execute(automationId, {
      type: 'IssueSigningSecret',
      requestedBy: userId,
      secretId,
      at: new Date().toISOString(),
    });
    return { automationId, signingSecret: signingSecretOf(serverKey, automationId, secretId) };
  }
}

@CommandHandler(RevokeSigningSecretCommand)
export class RevokeSigningSecretHandler implements ICommandHandler<RevokeSigningSecretCommand> {
  constructor(@Inject(AutomationStream) private readonly stream: AutomationStream) {}

  async execute({ userId, automationId }: RevokeSigningSecretCommand): Promise<void> {
    await this.stream.execute(automationId, {
      type: 'RevokeSigningSecret',
      requestedBy: userId,
      at: new Date().toISOString(),
    });
  }
}
