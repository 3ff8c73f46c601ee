import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class GroupIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  groupId!: string;
}
