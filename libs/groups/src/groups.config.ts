import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';

class GroupsEnvironment {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'GROUPS_TABLE must be a DynamoDB table name' })
  GROUPS_TABLE?: string;
}

export const groupsConfig = registerAs('groups', () => {
  const environment = validateEnvironment(GroupsEnvironment);
  return { tableName: environment.GROUPS_TABLE ?? 'udagram-groups' };
});

export type GroupsConfig = ReturnType<typeof groupsConfig>;
