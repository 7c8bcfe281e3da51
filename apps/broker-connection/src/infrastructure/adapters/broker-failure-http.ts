import { HttpException, HttpStatus } from '@nestjs/common';
import { BrokerAdapterError } from './broker-adapter';

const STATUS_OF_FAILURE = {
  INVALID_CREDENTIALS: HttpStatus.UNPROCESSABLE_ENTITY,
  BROKER_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
  BROKER_UNAVAILABLE: HttpStatus.BAD_GATEWAY,
} as const;

/** A broker's failure as the HTTP answer to the user who asked: 422 refused, 502 down, 504 slow. */
export function rethrowBrokerFailureAsHttp(error: unknown): never {
  if (!(error instanceof BrokerAdapterError)) throw error;
  throw new HttpException({ code: error.code, message: error.message }, STATUS_OF_FAILURE[error.code]);
}
