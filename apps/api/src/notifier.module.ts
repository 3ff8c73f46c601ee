import { NotificationsModule } from '@app/notifications';
import { TracingModule } from '@app/observability';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

/** What the notifier Lambda needs: the subscriptions and the management API, nothing of the HTTP API. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }),
    TracingModule,
    NotificationsModule,
  ],
})
export class NotifierModule {}
