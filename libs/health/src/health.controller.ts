import { Public } from '@app/auth';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthService, type HealthReport } from './health.service.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({ operationId: 'checkHealth', summary: 'Whether the API can reach DynamoDB and S3' })
  @ApiOkResponse({
    description: 'Every dependency is up.',
    example: { status: 'ok', dependencies: { dynamodb: 'up', s3: 'up' } },
  })
  @ApiServiceUnavailableResponse({
    description: 'Some dependency is down: the same report (not the error body), for load balancers and people.',
    example: { status: 'degraded', dependencies: { dynamodb: 'down', s3: 'up' } },
  })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.check();
    if (report.status !== 'ok') response.status(503);
    return report;
  }
}
