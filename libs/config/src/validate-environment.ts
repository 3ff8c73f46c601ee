import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/** Thrown at boot when the environment does not satisfy a feature's configuration class. */
export class InvalidConfigurationError extends Error {
  override readonly name = 'InvalidConfigurationError';
}

/**
 * Validates the process environment against a class-validator class and returns the typed, converted values.
 * Each feature calls it from its own `registerAs` factory, so it runs when Nest builds the module, never at import.
 */
export function validateEnvironment<T extends object>(
  environmentClass: new () => T,
  environment: NodeJS.ProcessEnv = process.env,
): T {
  const values = plainToInstance(environmentClass, environment, {
    enableImplicitConversion: true,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(values, { skipMissingProperties: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new InvalidConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return values;
}
