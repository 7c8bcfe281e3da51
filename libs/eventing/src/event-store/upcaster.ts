/** Turns the payload of `type` at `fromSchemaVersion` into the payload of the next version. */
export interface Upcaster {
  readonly type: string;
  readonly fromSchemaVersion: number;
  upcast(payload: unknown): unknown;
}

export interface UpcastResult {
  readonly schemaVersion: number;
  readonly payload: unknown;
}

export type UpcasterChain = (type: string, schemaVersion: number, payload: unknown) => UpcastResult;

/** Old events are read as the newest version by applying one step after another. */
export function upcasterChain(upcasters: readonly Upcaster[]): UpcasterChain {
  const steps = new Map<string, Upcaster>();
  for (const upcaster of upcasters) {
    const key = `${upcaster.type}@${upcaster.fromSchemaVersion}`;
    if (steps.has(key))
      throw new Error(`two upcasters for ${upcaster.type} from schema version ${upcaster.fromSchemaVersion}`);
    steps.set(key, upcaster);
  }
  return (type, schemaVersion, payload) => {
    let version = schemaVersion;
    let current = payload;
    for (let step = steps.get(`${type}@${version}`); step; step = steps.get(`${type}@${version}`)) {
      current = step.upcast(current);
      version += 1;
    }
    return { schemaVersion: version, payload: current };
  };
}
