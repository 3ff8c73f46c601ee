import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class GroupDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c' })
  id!: string;

  @ApiProperty({ description: 'The owner: the `sub` of the token that created it.', example: 'alice' })
  userId!: string;

  @ApiProperty({ example: 'Dogs' })
  name!: string;

  @ApiProperty({ example: 'Only good dogs' })
  description!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-04T21:56:21.077Z' })
  timestamp!: string;
}

export class GroupResponseDto {
  @ApiProperty({ type: GroupDto })
  item!: GroupDto;
}

export class CreatedGroupResponseDto {
  @ApiProperty({ type: GroupDto })
  newItem!: GroupDto;
}

export class GroupPageDto {
  @ApiProperty({ type: [GroupDto] })
  items!: GroupDto[];

  @ApiPropertyOptional({ description: 'Pass as `?nextKey=` for the next page; absent on the last page.' })
  nextKey?: string;
}
