/** An append expected a stream version that another writer has already moved past. */
export class VersionConflictError extends Error {
  readonly code = 'VERSION_CONFLICT';

  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`stream ${streamId} is at version ${currentVersion}, not the expected ${expectedVersion}`);
    this.name = 'VersionConflictError';
  }
}
