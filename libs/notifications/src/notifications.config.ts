import { validateEnvironment } from '@app/config';
import { registerAs, type ConfigType } from '@nestjs/config';
import { IsOptional, IsString, IsUrl, Matches, MinLength } from 'class-validator';

export const DEFAULT_CONNECTIONS_TABLE = 'udagram-connections';
export const DEFAULT_SUBSCRIPTIONS_TABLE = 'udagram-subscriptions';

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

class NotificationsEnvironment {
  @IsString()
  @MinLength(1)
  AWS_REGION!: string;

  @IsOptional()
  @Matches(TABLE_NAME, { message: 'CONNECTIONS_TABLE must be a DynamoDB table name' })
  CONNECTIONS_TABLE?: string;

  @IsOptional()
  @Matches(TABLE_NAME, { message: 'SUBSCRIPTIONS_TABLE must be a DynamoDB table name' })
  SUBSCRIPTIONS_TABLE?: string;

  /**
   * The WebSocket API's management endpoint: `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}` in AWS,
   * the emulator's URL locally. Unset: notifications are off.
   */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'WEBSOCKET_MANAGEMENT_ENDPOINT must be an http(s) URL (the management endpoint, not the wss:// one)' },
  )
  WEBSOCKET_MANAGEMENT_ENDPOINT?: string;
}

export const notificationsConfig = registerAs('notifications', () => {
  const environment = validateEnvironment(NotificationsEnvironment);
  return {
    region: environment.AWS_REGION,
    connectionsTableName: environment.CONNECTIONS_TABLE ?? DEFAULT_CONNECTIONS_TABLE,
    subscriptionsTableName: environment.SUBSCRIPTIONS_TABLE ?? DEFAULT_SUBSCRIPTIONS_TABLE,
    managementEndpoint: environment.WEBSOCKET_MANAGEMENT_ENDPOINT,
  };
});

export type NotificationsConfig = ConfigType<typeof notificationsConfig>;
