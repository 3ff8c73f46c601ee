import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

class GroupsEnvironment {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'GROUPS_TABLE must be a DynamoDB table name' })
  GROUPS_TABLE?: string;

  /** Read (never written) by a group's delete, to check that the group holds no image. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'IMAGES_TABLE must be a DynamoDB table name' })
  IMAGES_TABLE?: string;

  /** How long a public listing's first page may be served from this process's memory (0: never). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  LISTING_CACHE_TTL_MS?: number;
}

export const groupsConfig = registerAs('groups', () => {
  const environment = validateEnvironment(GroupsEnvironment);
  return {
    tableName: environment.GROUPS_TABLE ?? 'udagram-groups',
    imagesTableName: environment.IMAGES_TABLE ?? 'udagram-group-images',
    listingCacheTtlMs: environment.LISTING_CACHE_TTL_MS ?? 0,
  };
});

export type GroupsConfig = ReturnType<typeof groupsConfig>;
