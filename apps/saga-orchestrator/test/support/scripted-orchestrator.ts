import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { OrchestratorKit } from './orchestrator-kit';
import { ScriptedParticipants } from './scripted-participants';
import { triggers } from './triggers';

export interface ScriptedOrchestrator {
  kit: OrchestratorKit;
  participants: ScriptedParticipants;
  trigger: ReturnType<typeof triggers>;
  app: INestApplication;
  /** The ops API as an admin, or as whoever `auth` names. */
  get(path: string, auth?: string): request.Test;
  post(path: string, body?: object, auth?: string): request.Test;
}

/**
 * For the whole file: the kit's broker, schema and Redis, scripted participants answering the
 * orchestrator's commands, and one orchestrator started with `env`; all stopped after the file.
 */
export function useScriptedOrchestrator(env: Record<string, string> = {}): ScriptedOrchestrator {
  const admin = () => `Bearer ${harness.kit.token('admin')}`;
  const harness = {
    get: (path: string, auth = admin()) =>
      request(harness.app.getHttpServer()).get(path).set('authorization', auth),
    post: (path: string, body: object = {}, auth = admin()) =>
      request(harness.app.getHttpServer()).post(path).set('authorization', auth).send(body),
  } as ScriptedOrchestrator;

  beforeAll(async () => {
    harness.kit = await OrchestratorKit.start();
    harness.participants = new ScriptedParticipants(harness.kit.kafka);
    await harness.participants.start();
    harness.app = await harness.kit.startOrchestrator(env);
    harness.trigger = triggers(harness.kit);
  });
  afterAll(async () => {
    await harness.participants?.stop();
    await harness.kit?.stop();
  });
  return harness;
}
