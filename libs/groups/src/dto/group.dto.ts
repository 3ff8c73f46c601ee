import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class GroupDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The owner: the `sub` of the token that created it.' })
  userId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ format: 'date-time' })
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
