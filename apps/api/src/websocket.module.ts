import { NotificationsModule } from '@app/notifications';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

/** What the WebSocket API's $connect and $disconnect Lambda needs, and nothing of the HTTP API. */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }), NotificationsModule],
})
export class WebSocketModule {}
