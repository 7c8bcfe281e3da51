import {
  type BrokerAccountCommand,
  type LinkBrokerAccountsResult,
} from '../broker-account/broker-account.commands';
import {
  type BrokerConnectionCommand,
  type CloseUserConnectionsResult,
  type VerifyBrokerCredentialsResult,
} from '../broker-connection/broker-connection.commands';
import { type AutomationCommand, type DeleteAutomationsResult } from '../automation/automation.commands';
import { type Message, type Reason, typeNamesOf } from '../message';
import { type IssueDataKeyResult } from '../personal-data';
import { type UserAccountCommand } from '../user-account/user-account.commands';
import {
  type CancelOpenOrdersResult,
  type VirtualBrokerCommand,
} from '../virtual-broker/virtual-broker.commands';

export type SagaCommand =
  | UserAccountCommand
  | BrokerConnectionCommand
  | BrokerAccountCommand
  | VirtualBrokerCommand
  | AutomationCommand;

/** What a successful reply carries per command; commands not listed reply with an empty result. */
export interface SagaCommandResults {
  readonly VerifyBrokerCredentials: VerifyBrokerCredentialsResult;
  readonly CloseUserConnections: CloseUserConnectionsResult;
  readonly LinkBrokerAccounts: LinkBrokerAccountsResult;
  readonly CancelOpenOrders: CancelOpenOrdersResult;
  readonly DeleteAccountAutomations: DeleteAutomationsResult;
  readonly DeleteUserAutomations: DeleteAutomationsResult;
  readonly IssueBrokerAccountDataKey: IssueDataKeyResult;
  readonly IssueAutomationDataKey: IssueDataKeyResult;
}

export type SagaCommandResult<C extends SagaCommand['type']> = C extends keyof SagaCommandResults
  ? SagaCommandResults[C]
  : Record<string, never>;

interface SagaReplyOrigin<C extends SagaCommand['type']> {
  readonly sagaId: string;
  readonly step: string;
  readonly commandType: C;
  /** The command's `messageId`, so a late reply to an earlier attempt can be told apart. */
  readonly commandMessageId: string;
}

/**
 * A participant's answer to one saga command. A failure carries a stable `reason.code`
 * (e.g. `INVALID_CREDENTIALS`, `CONNECTION_RECONNECTED`) the saga definition can branch on.
 */
export type SagaReply<C extends SagaCommand['type'] = SagaCommand['type']> = Message<
  'SagaReply',
  SagaReplyOrigin<C> &
    ({ outcome: 'succeeded'; result: SagaCommandResult<C> } | { outcome: 'failed'; reason: Reason })
>;

export type SagaReplyMessage = SagaReply;

export const sagaReplyTypes = typeNamesOf<SagaReplyMessage>({ SagaReply: true });
