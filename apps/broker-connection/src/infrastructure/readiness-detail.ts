import { type CallHandler, type ExecutionContext, HttpException } from '@nestjs/common';
import { catchError, map, type Observable } from 'rxjs';

export const isReadinessProbe = (context: ExecutionContext): boolean =>
  context.getType() === 'http' &&
  context.switchToHttp().getRequest<{ path?: string }>().path === '/health/ready';

/** `/health/ready` with one more entry in its `info` and `details`, whether the probe passed or not. */
export function withReadinessDetail(next: CallHandler, detail: Record<string, object>): Observable<unknown> {
  const merged = (result: { info?: object; details?: object }) => ({
    ...result,
    info: { ...result.info, ...detail },
    details: { ...result.details, ...detail },
  });
  return next.handle().pipe(
    map((result) => merged(result as object)),
    catchError((error: unknown) => {
      if (!(error instanceof HttpException)) throw error;
      throw new HttpException(merged(error.getResponse() as object), error.getStatus());
    }),
  );
}
