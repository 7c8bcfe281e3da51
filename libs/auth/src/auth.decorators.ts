import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from '@tradecore/eventing/nest';
import type { AuthenticatedUser, UserRole } from './access-token';

export { REQUIRED_ROLES };

export function Public(): ClassDecorator & MethodDecorator {
  return SetMetadata(PUBLIC_ROUTE, true);
}

/** The caller must hold one of these roles, else 403 FORBIDDEN. */
export function Roles(...roles: UserRole[]): ClassDecorator & MethodDecorator {
  return SetMetadata(REQUIRED_ROLES, roles);
}

export interface AuthenticatedRequest {
  user?: AuthenticatedUser;
}

export const CurrentUser: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
