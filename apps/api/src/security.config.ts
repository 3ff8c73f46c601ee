import type { AuthenticatedUser } from '@app/auth';
import { validateEnvironment } from '@app/config';
import type { ExecutionContext } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Generous: a person never comes near it, a script creating groups or images in a loop does. */
export const DEFAULT_WRITE_RATE_LIMIT = 1000;
const WRITE_RATE_WINDOW_MS = 60_000;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

class SecurityEnvironment {
  /** Writes (POST, DELETE) one user may make per minute; the 1001st in a minute is a 429. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  WRITE_RATE_LIMIT?: number;
}

export const securityConfig = registerAs('security', () => {
  const environment = validateEnvironment(SecurityEnvironment);
  return { writeRateLimitPerMinute: environment.WRITE_RATE_LIMIT ?? DEFAULT_WRITE_RATE_LIMIT };
});

export type SecurityConfig = ReturnType<typeof securityConfig>;

/**
 * One budget of writes per user and minute, shared by every write route; reads are never throttled. The guard runs
 * after the JWT guard, so it counts the verified user (a request with a bad token is a 401 and costs nothing), and
 * users behind one NAT address do not share a budget. The IP is only a fallback: every write route needs a token.
 */
export function writeThrottlerOptions(config: SecurityConfig): ThrottlerModuleOptions {
  return {
    throttlers: [{ name: 'writes', ttl: WRITE_RATE_WINDOW_MS, limit: config.writeRateLimitPerMinute }],
    skipIf: (context: ExecutionContext) =>
      READ_METHODS.has(context.switchToHttp().getRequest<{ method: string }>().method),
    getTracker: (request: { user?: AuthenticatedUser; ip?: string }) =>
      request.user === undefined ? `ip:${request.ip ?? 'unknown'}` : `user:${request.user.userId}`,
    // The library's default key includes the route: one shared budget needs a key without it.
    generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
    errorMessage: `Too many writes: at most ${config.writeRateLimitPerMinute} a minute; try again later`,
  };
}
