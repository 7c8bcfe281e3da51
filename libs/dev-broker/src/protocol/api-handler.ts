import type { Reader } from './reader';
import type { Writer } from './writer';

/** What a handler knows about the request and the socket it came on. */
export interface RequestContext {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** A flexible version (KIP-482): compact types and tagged fields in the body and, but for ApiVersions, the response header. */
  readonly flexible: boolean;
  /** The request body, positioned after the request header. */
  readonly body: Reader;
  /** Unique per TCP connection; group members and producers are not tied to it. */
  readonly connectionId: number;
  /** The node (of a presented cluster) whose port the client connected to. */
  readonly nodeId: number;
  /** Host name as the client addressed this broker, to advertise back in Metadata. */
  readonly host: string;
  readonly clientAddress: string;
}

/**
 * One Kafka API. `handle` returns the response body (without the response header), or
 * null when the protocol sends no response (Produce with acks=0). Handlers may be async
 * (long-poll Fetch, JoinGroup); the server keeps responses in request order per connection.
 */
export interface ApiHandler {
  readonly key: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The first flexible version, when the handler serves one. */
  readonly flexibleFrom?: number;
  handle(context: RequestContext): Writer | null | Promise<Writer | null>;
}
