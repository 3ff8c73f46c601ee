import { PageQueryDto } from '@app/pagination';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { LABEL_WORD_PATTERN } from '../label-words.js';

/** Paging plus an optional label word (case-insensitive, whole word: "dog" matches "coach dog"). */
export class LabelSearchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'squirrel', description: 'One word of a label, case-insensitive.' })
  @IsOptional()
  @Matches(LABEL_WORD_PATTERN, { message: 'label must be a single word of letters or digits' })
  label?: string;
}

/** `GET /images` is label search only, so the word is required there. */
export class RequiredLabelSearchQueryDto extends PageQueryDto {
  @ApiProperty({ example: 'squirrel', description: 'One word of a label, case-insensitive.' })
  @Matches(LABEL_WORD_PATTERN, { message: 'label must be a single word of letters or digits' })
  label!: string;
}
