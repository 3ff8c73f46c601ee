import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ImageIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  imageId!: string;
}
