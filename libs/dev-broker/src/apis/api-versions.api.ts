import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import type { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';

export const API_VERSIONS_KEY = 18;

/**
 * Advertises exactly the registered handlers, so clients never pick a version nobody implements.
 * v1 adds throttle time; v3 is flexible, and its request names the client software (read, not kept).
 */
export function apiVersionsApi(registered: () => readonly ApiHandler[]): ApiHandler {
  return {
    key: API_VERSIONS_KEY,
    name: 'ApiVersions',
    minVersion: 0,
    maxVersion: 3,
    flexibleFrom: 3,
    handle: (request) => {
      if (request.apiVersion >= 3) readClientSoftware(request.body);
      const writer = writeVersions(ErrorCode.NONE, registered(), Writer.forResponse(request));
      return request.apiVersion >= 1 ? writer.int32(0).tags() : writer;
    },
  };
}

function readClientSoftware(body: Reader): void {
  body.string(); // client_software_name
  body.string(); // client_software_version
  body.tags();
}

/** Kafka answers an ApiVersions version it does not know in the v0 layout, so the client can step down. */
export function unsupportedApiVersionsResponse(registered: readonly ApiHandler[]): Writer {
  return writeVersions(ErrorCode.UNSUPPORTED_VERSION, registered, new Writer());
}

function writeVersions(errorCode: ErrorCode, handlers: readonly ApiHandler[], writer: Writer): Writer {
  const sorted = [...handlers].sort((a, b) => a.key - b.key);
  return writer
    .int16(errorCode)
    .array(sorted, (w, h) => w.int16(h.key).int16(h.minVersion).int16(h.maxVersion).tags());
}
