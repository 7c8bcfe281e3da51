import { type Reason, topicNames, topics } from '@tradecore/contracts';
import { type Consumer, type Kafka, Partitioners, type Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';

export interface ReceivedCommand {
  readonly messageId: string;
  readonly type: string;
  readonly topic: string;
  readonly sagaId: string;
  readonly sagaStep: string;
  readonly correlationId: string;
  readonly traceparent?: string;
  readonly payload: Record<string, unknown> & { connectionId?: string; userId?: string };
}

/** What a participant does with a command: answer it, refuse it, stay silent, or hold the answer until released. */
export type Answer = { succeed: unknown } | { fail: Reason } | 'ignore' | 'hold';

type Rule = {
  id: string;
  matches: (command: ReceivedCommand) => boolean;
  answer: (command: ReceivedCommand) => Answer;
  times: number;
};

export const accountsOf = (connectionId: string) => ({
  linkedAccountIds: [`acc-${connectionId}`],
  virtualAccountIds: [`va-${connectionId}`],
});

/**
 * Plays every service that answers saga commands, from a script: by default each command
 * succeeds as the real participant would; a test overrides single commands to fail, stay silent
 * or wait. Everything received is kept, so a test can count what was sent.
 */
/** As broker-connection does, each close starts a disconnection of its own, so a second close is a new child. */
const disconnectionOf = (close: ReceivedCommand, connectionId: string) =>
  `disc-${connectionId}-${close.messageId}`;

export class ScriptedParticipants {
  readonly received: ReceivedCommand[] = [];
  private rules: Rule[] = [];
  private held: ReceivedCommand[] = [];
  private readonly connectionsOfUser = new Map<string, readonly string[]>();
  private consumer?: Consumer;
  private producer?: Producer;

  constructor(private readonly kafka: Kafka) {}

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `participants-${uuidv7()}`, maxWaitTimeInMs: 50 });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: topicNames.filter((topic) => topics[topic].kind === 'commands'),
      fromBeginning: true,
    });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const envelope = JSON.parse(String(message.value));
        const command: ReceivedCommand = { ...envelope, topic };
        this.received.push(command);
        await this.respond(command);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /** Overrides the answer to matching commands, the newest rule first, for `times` commands (default: all). */
  on(
    type: string,
    connectionOrUser: string,
    answer: Answer | ((command: ReceivedCommand) => Answer),
    times = Infinity,
  ): this {
    this.rules.unshift({
      id: connectionOrUser,
      matches: (command) =>
        command.type === type &&
        (command.payload.connectionId === connectionOrUser || command.payload.userId === connectionOrUser),
      answer: typeof answer === 'function' ? answer : () => answer,
      times,
    });
    return this;
  }

  /** What broker-connection would find for this user when a deletion closes their connections. */
  owns(userId: string, connectionIds: readonly string[]): this {
    this.connectionsOfUser.set(userId, connectionIds);
    return this;
  }

  commandsFor(id: string): ReceivedCommand[] {
    return this.received.filter(
      (command) => command.payload.connectionId === id || command.payload.userId === id,
    );
  }

  typesFor(id: string): string[] {
    return this.commandsFor(id).map((command) => command.type);
  }

  /** Answers every held command of this aggregate as the default participant would, and drops its overrides. */
  async release(id: string): Promise<void> {
    this.rules = this.rules.filter((rule) => rule.id !== id);
    const mine = this.held.filter(
      (command) => command.payload.connectionId === id || command.payload.userId === id,
    );
    this.held = this.held.filter((command) => !mine.includes(command));
    for (const command of mine) await this.reply(command, this.defaultAnswer(command));
  }

  /** Sends a reply by hand, e.g. a duplicate of one already sent. */
  async reply(command: ReceivedCommand, answer: { succeed: unknown } | { fail: Reason }): Promise<void> {
    const outcome =
      'succeed' in answer
        ? { outcome: 'succeeded', result: answer.succeed }
        : { outcome: 'failed', reason: answer.fail };
    const envelope = {
      messageId: uuidv7(),
      type: 'SagaReply',
      schemaVersion: 1,
      streamId: command.sagaId,
      streamVersion: 0,
      occurredAt: new Date().toISOString(),
      correlationId: command.correlationId,
      causationId: command.messageId,
      sagaId: command.sagaId,
      sagaStep: command.sagaStep,
      payload: {
        sagaId: command.sagaId,
        step: command.sagaStep,
        commandType: command.type,
        commandMessageId: command.messageId,
        ...outcome,
      },
    };
    await (this.producer as Producer).send({
      topic: 'saga.replies',
      acks: -1,
      messages: [{ key: command.sagaId, value: JSON.stringify(envelope) }],
    });
  }

  private async respond(command: ReceivedCommand): Promise<void> {
    const rule = this.rules.find((candidate) => candidate.times > 0 && candidate.matches(command));
    if (rule) rule.times -= 1;
    if (!rule) {
      const answer = this.defaultAnswer(command);
      await this.reply(command, answer);
      if (command.type === 'CloseUserConnections') await this.startChildDisconnections(command);
      return;
    }
    const answer = rule.answer(command);
    if (answer === 'ignore') return;
    if (answer === 'hold') this.held.push(command);
    else await this.reply(command, answer);
  }

  private defaultAnswer(command: ReceivedCommand): { succeed: unknown } {
    const connectionId = String(command.payload.connectionId);
    switch (command.type) {
      case 'VerifyBrokerCredentials':
        return {
          succeed: {
            accounts: [{ externalAccountId: `va-${connectionId}`, displayName: 'Paper', currency: 'USD' }],
          },
        };
      case 'LinkBrokerAccounts':
        return { succeed: { linkedAccountIds: [`acc-${connectionId}`] } };
      case 'CancelOpenOrders':
        return { succeed: { cancelledOrderIds: [] } };
      case 'DeleteAccountAutomations':
      case 'DeleteUserAutomations':
        return { succeed: { deletedAutomationIds: [] } };
      case 'CloseUserConnections':
        return {
          succeed: { disconnectionIds: this.ownedBy(command).map((id) => disconnectionOf(command, id)) },
        };
      default:
        return { succeed: {} };
    }
  }

  private ownedBy(command: ReceivedCommand): readonly string[] {
    return this.connectionsOfUser.get(String(command.payload.userId)) ?? [];
  }

  /** As broker-connection does: each disconnect it starts is announced with every id the child saga needs. */
  private async startChildDisconnections(command: ReceivedCommand): Promise<void> {
    for (const connectionId of this.ownedBy(command))
      await this.startChildDisconnection(command, connectionId);
  }

  private async startChildDisconnection(command: ReceivedCommand, connectionId: string): Promise<void> {
    const payload = command.payload as { userId: string; parentSagaId: string };
    const envelope = {
      messageId: uuidv7(),
      type: 'BrokerDisconnectRequested',
      schemaVersion: 1,
      streamId: connectionId,
      streamVersion: 5,
      occurredAt: new Date().toISOString(),
      correlationId: command.correlationId,
      causationId: command.messageId,
      payload: {
        connectionId,
        userId: payload.userId,
        ...accountsOf(connectionId),
        disconnectionId: disconnectionOf(command, connectionId),
        cause: 'user-deletion',
        parentSagaId: payload.parentSagaId,
        requestedAt: new Date().toISOString(),
      },
    };
    await (this.producer as Producer).send({
      topic: 'broker-connection.events',
      acks: -1,
      messages: [{ key: connectionId, value: JSON.stringify(envelope) }],
    });
  }
}
