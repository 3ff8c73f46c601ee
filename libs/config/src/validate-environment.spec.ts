import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError, validateEnvironment } from './validate-environment.js';

class ExampleEnvironment {
  @IsString()
  TABLE_NAME!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  RETRIES?: number;
}

describe('validateEnvironment', () => {
  it('returns typed values converted from strings', () => {
    const values = validateEnvironment(ExampleEnvironment, { TABLE_NAME: 'groups', RETRIES: '3' });

    expect(values).toMatchObject({ TABLE_NAME: 'groups', RETRIES: 3 });
  });

  it('names every invalid variable in one error', () => {
    const validate = () => validateEnvironment(ExampleEnvironment, { RETRIES: '99' });

    expect(validate).toThrow(InvalidConfigurationError);
    expect(validate).toThrow(/TABLE_NAME must be a string.*RETRIES must not be greater than 10/);
  });
});
