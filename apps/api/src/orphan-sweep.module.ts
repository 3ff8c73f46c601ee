import { ImagesModule } from '@app/images';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

/** What `npm run sweep:orphans` needs: the images library, without the HTTP layer. */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }), ImagesModule],
})
export class OrphanSweepModule {}
