import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateGroupDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Dogs' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  // At least one visible character: whitespace, zero-width and format characters alone are blank.
  @Matches(/[\p{L}\p{N}\p{P}\p{S}]/u, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 1000, default: '', example: 'Only good dogs' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}
