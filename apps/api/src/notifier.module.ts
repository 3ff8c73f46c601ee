import { NotificationsModule } from '@app/notifications';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

/** What the notifier Lambda needs: the subscriptions and the management API, nothing of the HTTP API. */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }), NotificationsModule],
})
export class NotifierModule {}
