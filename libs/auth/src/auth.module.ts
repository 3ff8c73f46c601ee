import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { PassportModule } from '@nestjs/passport';
import { authConfig } from './auth.config.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';

@Module({
  imports: [ConfigModule.forFeature(authConfig), PassportModule],
  // The JWT strategy is not a provider: the guard builds it on the first request that needs a token.
  providers: [JwtAuthGuard],
  exports: [JwtAuthGuard],
})
export class AuthModule {}
