import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export function createOpenApiDocument(app: INestApplication, tokenHint?: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Udagram API')
    .setDescription(
      'Share photos in groups; every uploaded photo is labelled by a neural-network classifier.' +
        (tokenHint === undefined ? '' : `\n\nGet a development token: ${tokenHint}, then press Authorize.`),
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs and the document at /docs-json. */
export function setupSwagger(app: INestApplication, tokenHint?: string): void {
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, tokenHint), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
