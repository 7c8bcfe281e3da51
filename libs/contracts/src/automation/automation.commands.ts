import { commandKeyFieldsOf, type Message, typeNamesOf } from '../message';

/*
 * Saga commands; each answers on `saga.replies`. All are idempotent, so a saga may resend them.
 */

/**
 * BrokerDisconnection step: deletes the automations trading on these broker accounts.
 * `deletionId` (the disconnection's id) is recorded on each, so a resent command answers the
 * same ids, those it deleted the first time included, and the compensation restores all of them.
 */
export type DeleteAccountAutomations = Message<
  'DeleteAccountAutomations',
  { connectionId: string; accountIds: readonly string[]; deletionId?: string }
>;

/** UserDeletion step: deletes every automation of the user; `deletionId` (the saga's id) as above. */
export type DeleteUserAutomations = Message<'DeleteUserAutomations', { userId: string; deletionId?: string }>;

/** Every automation this deletion deleted, also when asked again: what its compensation restores. */
export interface DeleteAutomationsResult {
  readonly deletedAutomationIds: readonly string[];
}

/**
 * Compensates either deletion: the automations it deleted come back as they were (active or paused).
 * `deletionKey` is the deletion's key (its connectionId or userId), so the restore queues behind it.
 */
export type RestoreAutomations = Message<
  'RestoreAutomations',
  { automationIds: readonly string[]; deletionKey: string }
>;

/**
 * BrokerConnection step: automation's public key for the user (IssueDataKeyResult), so
 * broker-account seals the balances it publishes for automation. Never fails.
 */
export type IssueAutomationDataKey = Message<'IssueAutomationDataKey', { userId: string }>;

export type AutomationCommand =
  DeleteAccountAutomations | DeleteUserAutomations | RestoreAutomations | IssueAutomationDataKey;

export const automationCommandKeyFields = commandKeyFieldsOf<AutomationCommand>({
  DeleteAccountAutomations: 'connectionId',
  DeleteUserAutomations: 'userId',
  RestoreAutomations: 'deletionKey',
  IssueAutomationDataKey: 'userId',
});

export const automationCommandTypes = typeNamesOf<AutomationCommand>(automationCommandKeyFields);
