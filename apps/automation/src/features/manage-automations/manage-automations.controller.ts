import {
  Body,
  Controller,
  Delete,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import type { AutomationEnv } from '../../automation.env';
import { AutomationView, automationOfUser } from '../get-automations/automation-view';
import { AutomationSettingsDto, CreateAutomationDto } from './automation-settings.dto';
import {
  ChangeAutomationCommand,
  CreateAutomationCommand,
  DeleteAutomationCommand,
  IssueSigningSecretCommand,
  RevokeSigningSecretCommand,
  SigningSecretIssued,
  RotateWebhookTokenCommand,
  WebhookIssued,
} from './manage-automations.handlers';

export type AutomationWithWebhook = AutomationView & { readonly webhookUrl: string };

@ApiTags('automations')
@ApiBearerAuth()
@Controller('automations')
export class ManageAutomationsController {
  private readonly baseUrl: string;

  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ConfigService) config: ConfigService<AutomationEnv, true>,
  ) {
    this.baseUrl = config.get('PUBLIC_BASE_URL', { infer: true }).replace(/\/$/, '');
  }

  @Post()
  @ApiOperation({
    summary: 'Create an automation on one of your broker accounts, paper or real',
    description:
      'Answers with its webhook URL: paste it into your alerting tool. The URL is shown now and on rotate-token only.',
  })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: CreateAutomationDto,
  ): Promise<AutomationWithWebhook> {
    return this.withWebhook(
      user,
      await this.commandBus.execute(new CreateAutomationCommand(user.userId, dto)),
    );
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit, pause ({"active": false}) or resume ({"active": true}) an automation' })
  async change(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) automationId: string,
    @Body() dto: AutomationSettingsDto,
  ): Promise<AutomationView> {
    await this.commandBus.execute(new ChangeAutomationCommand(user.userId, automationId, dto));
    return automationOfUser(this.dataSource.manager, automationId, user.userId);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an automation; its webhook URL stops working' })
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) automationId: string,
  ): Promise<void> {
    await this.commandBus.execute(new DeleteAutomationCommand(user.userId, automationId));
  }

  @Post(':id/rotate-token')
  @ApiOperation({ summary: 'Issue a new webhook URL; the old one answers 404 from now on' })
  async rotate(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) automationId: string,
  ): Promise<AutomationWithWebhook> {
    return this.withWebhook(
      user,
      await this.commandBus.execute(new RotateWebhookTokenCommand(user.userId, automationId)),
    );
  }

  @Post(':id/signing-secret')
  @ApiOperation({
    summary: 'Require signed webhooks: issues the secret (shown once) and replaces any earlier one',
    description:
      'Sign each request with header X-TradeCore-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">; ' +
      'unsigned, stale or forged requests answer 401.',
  })
  issueSigningSecret(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) automationId: string,
  ): Promise<SigningSecretIssued> {
    return this.commandBus.execute(new IssueSigningSecretCommand(user.userId, automationId));
  }

  @Delete(':id/signing-secret')
  @HttpCode(204)
  @ApiOperation({ summary: 'Accept unsigned webhooks again' })
  async revokeSigningSecret(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) automationId: string,
  ): Promise<void> {
    await this.commandBus.execute(new RevokeSigningSecretCommand(user.userId, automationId));
  }

  private async withWebhook(user: AuthenticatedUser, issued: WebhookIssued): Promise<AutomationWithWebhook> {
    const view = await automationOfUser(this.dataSource.manager, issued.automationId, user.userId);
    return { ...view, webhookUrl: `${this.baseUrl}/api/webhooks/${issued.webhookToken}` };
  }
}
