import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';

export const API_VERSIONS_KEY = 18;

/** Advertises exactly the registered handlers, so clients never pick a version nobody implements. */
export function apiVersionsApi(registered: () => readonly ApiHandler[]): ApiHandler {
  return {
    key: API_VERSIONS_KEY,
    name: 'ApiVersions',
    minVersion: 0,
    maxVersion: 2,
    handle: ({ apiVersion }) => {
      const writer = writeVersions(ErrorCode.NONE, registered());
      return apiVersion >= 1 ? writer.int32(0) : writer;
    },
  };
}

/** Kafka answers an ApiVersions version it does not know in the v0 layout, so the client can step down. */
export function unsupportedApiVersionsResponse(registered: readonly ApiHandler[]): Writer {
  return writeVersions(ErrorCode.UNSUPPORTED_VERSION, registered);
}

function writeVersions(errorCode: ErrorCode, handlers: readonly ApiHandler[]): Writer {
  const sorted = [...handlers].sort((a, b) => a.key - b.key);
  return new Writer()
    .int16(errorCode)
    .array(sorted, (w, h) => w.int16(h.key).int16(h.minVersion).int16(h.maxVersion));
}
