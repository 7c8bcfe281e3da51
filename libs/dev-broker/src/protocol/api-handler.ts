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
  /**
   * The body's bytes are the connection's reused buffer, overwritten once `handle` returns: only
   * for handlers marked `copiesWhatItKeeps`. Otherwise they are the request's own, and views
   * into them may be kept.
   */
  readonly borrowed: boolean;
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
  /**
   * Synchronous, and copies whatever bytes of the body it keeps: it may then be handed a body in
   * the connection's reused buffer (Produce, whose record batches go to the log and not to memory).
   */
  readonly copiesWhatItKeeps?: boolean;
  handle(context: RequestContext): Writer | null | Promise<Writer | null>;
}
