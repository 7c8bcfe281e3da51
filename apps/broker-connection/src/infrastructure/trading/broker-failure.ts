import { HttpException, HttpStatus } from '@nestjs/common';
import { BrokerAdapterError } from '../adapters/broker-adapter';

const STATUS_OF_FAILURE = {
  INVALID_CREDENTIALS: HttpStatus.UNPROCESSABLE_ENTITY,
  BROKER_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
  BROKER_UNAVAILABLE: HttpStatus.BAD_GATEWAY,
} as const;

/** A broker that failed (not one that refused) as the HTTP answer; anything else passes unchanged. */
export function asHttpFailure(error: unknown, whatToDo = ''): unknown {
  if (!(error instanceof BrokerAdapterError)) return error;
  return new HttpException(
    { code: error.code, message: `${error.message}${whatToDo}` },
    STATUS_OF_FAILURE[error.code],
  );
}
