import type { INestApplication } from '@nestjs/common';
import { OrchestratorKit } from './orchestrator-kit';
import { ScriptedParticipants } from './scripted-participants';
import { triggers } from './triggers';

export interface ScriptedParticipantsStack {
  readonly kit: OrchestratorKit;
  readonly participants: ScriptedParticipants;
  readonly trigger: ReturnType<typeof triggers>;
}

/** The kit (PostgreSQL, Redis, dev broker) with scripted participants answering every command topic. */
export async function startScriptedParticipants(): Promise<ScriptedParticipantsStack> {
  const kit = await OrchestratorKit.start();
  const participants = new ScriptedParticipants(kit.kafka);
  await participants.start();
  return { kit, participants, trigger: triggers(kit) };
}

/** The same, with one orchestrator started on `env`. */
export async function startScriptedStack(
  env: Record<string, string> = {},
): Promise<ScriptedParticipantsStack & { readonly app: INestApplication }> {
  const stack = await startScriptedParticipants();
  return { ...stack, app: await stack.kit.startOrchestrator(env) };
}

export async function stopScriptedStack(stack: Partial<ScriptedParticipantsStack>): Promise<void> {
  await stack.participants?.stop();
  await stack.kit?.stop();
}
