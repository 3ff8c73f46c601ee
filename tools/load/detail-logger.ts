import type { LoggerService } from '@nestjs/common';

/**
 * Nest's log for a load run: hundreds of lines (a 503 stack per outage request, a line per classification) that
 * matter only when investigating, so they go to `detail` (printed with VERBOSE) instead of the console.
 */
export class DetailLogger implements LoggerService {
  constructor(private readonly detail: (line: string) => void) {}

  log(message: unknown, context?: string): void {
    this.write('LOG', message, context);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('ERROR', message, rest.at(-1));
  }

  warn(message: unknown, context?: string): void {
    this.write('WARN', message, context);
  }

  private write(level: string, message: unknown, context: unknown): void {
    this.detail(`[nest] ${level} ${typeof context === 'string' ? `[${context}] ` : ''}${String(message)}`);
  }
}
