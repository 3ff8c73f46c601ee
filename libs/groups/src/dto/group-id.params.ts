import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class GroupIdParams {
  @ApiProperty({ format: 'uuid', example: '3f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c' })
  @IsUUID('4')
  groupId!: string;
}
