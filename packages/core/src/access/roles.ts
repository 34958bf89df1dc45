import type { Role } from '../ports/storage';

/** All roles, most powerful first. */
export const roles: readonly Role[] = ['owner', 'admin', 'moderator', 'premium', 'user'];

/**
 * True when `role` is at least `minimum` (owner > admin > moderator > premium > user). No role
 * is below all.
 */
export function hasRole(role: Role | undefined, minimum: Role): boolean {
  if (!role) return false;
  return roles.indexOf(role) <= roles.indexOf(minimum);
}

/** True when the string is one of the roles. */
export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
