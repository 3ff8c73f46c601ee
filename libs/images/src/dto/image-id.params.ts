import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ImageIdParams {
  @ApiProperty({ format: 'uuid', example: '5b2e4c1a-9d3f-4e6a-8b7c-1d2e3f4a5b6c' })
  @IsUUID('4')
  imageId!: string;
}
