/**
 * The local development launcher (`npm start`, through tools/start.sh): starts the local cloud, points the
 * environment at it, then runs the API in this same process. SIGINT, SIGTERM and SIGHUP stop the API, then the cloud.
 */
import { WEB_APP_CLIENT_ID } from '@dev/local-cloud';
import type { INestApplication } from '@nestjs/common';
import { fileURLToPath } from 'node:url';
import { parseStartOptions, START_USAGE, StartOptionsError, type StartOptions } from './local-cloud/start-options.js';
import { removeRunningEnvironment, writeRunningEnvironment } from './local-cloud/running-env.js';
import {
  LOCAL_PIPELINE,
  pipelineWorkerHandlers,
  startUdagramLocalSystem,
  type UdagramLocalSystem,
} from './local-cloud/udagram-local-system.js';
import { describeNodeRuntime } from './node-runtime.js';
import { repositoryRoot } from './repository-root.js';
import { startWebServer, type WebServer } from './local-cloud/web-server.js';

let systemStarting: Promise<UdagramLocalSystem> | undefined;
let apiStarting: Promise<INestApplication> | undefined;
let webStarting: Promise<WebServer> | undefined;
let stopping: Promise<void> | undefined;

function stop(reason: string, exitCode: number): Promise<void> {
  stopping ??= (async () => {
    console.log(`\n${reason}: stopping the API and the local cloud…`);
    let failed = false;
    try {
      // Each waits for its start to settle: a signal may arrive while Java is still booting.
      await (await webStarting?.catch(() => undefined))?.stop();
      await (await apiStarting?.catch(() => undefined))?.close();
      const system = await systemStarting?.catch(() => undefined);
      const deadLetters = [LOCAL_PIPELINE.classification, LOCAL_PIPELINE.thumbnails]
        .map((pipeline) => system?.queues.messages(pipeline.deadLetterQueue).length ?? 0)
        .reduce((a, b) => a + b, 0);
      if (deadLetters > 0)
        console.log(`${deadLetters} dead letter(s) left (npm run redrive moves them back; in memory, they go now).`);
      removeRunningEnvironment(repositoryRoot());
      await system?.stop();
      console.log('Stopped.');
    } catch (error) {
      failed = true;
      console.error('Stopping failed:', error);
    }
    process.exit(failed ? 1 : exitCode);
  })();
  return stopping;
}

async function main(options: StartOptions): Promise<void> {
  // A browser app that the API allows (CORS_ORIGINS, default any) may also upload to S3 and read from it.
  const corsOrigins = (process.env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  systemStarting = startUdagramLocalSystem({
    dataDir: options.dataDir,
    inMemory: options.inMemory,
    corsOrigins: corsOrigins.length > 0 ? corsOrigins : undefined,
    log: (line) => console.log(`[local cloud] ${line}`),
  });
  // The app's lines, readable, on this terminal too (the JSON lines are in .local/logs, for npm run trace).
  process.env.UDAGRAM_LOG_PRETTY ??= 'true';
  const system = await systemStarting;
  const { cloud } = system;
  Object.assign(process.env, system.env, { PORT: String(options.port) });

  // For scripts; people sign in on the provider's page (Swagger UI's Authorize button, the web app's Sign in).
  const getToken = `GET ${cloud.identity.tokenUrl}?sub=alice`;
  const startedAt = performance.now();
  // Imported only now, so that nothing of the API loads before its environment is set.
  const { startHttpServer } = await import('../apps/api/src/http-server.js');
  apiStarting = startHttpServer(options.port, getToken);
  await apiStarting;
  // The queue workers, polled as Lambda's event source mappings poll them (the same handlers as in AWS).
  system.startWorkers(await pipelineWorkerHandlers());
  writeRunningEnvironment(repositoryRoot(), system.env);
  const apiSeconds = ((performance.now() - startedAt) / 1000).toFixed(1);

  const api = `http://127.0.0.1:${options.port}`;
  // The built web app (tools/start.sh builds it when stale) and its /config.json, on WEB_PORT or 5173.
  webStarting = startWebServer({
    root: fileURLToPath(new URL('../../apps/web/dist/', import.meta.url)),
    port: Number(process.env.WEB_PORT ?? 5173),
    fallbackToFreePort: process.env.WEB_PORT === undefined,
    config: {
      apiUrl: api,
      websocketUrl: system.webSocket.websocketUrl,
      // The same sign-in as with Auth0 in AWS: code + PKCE at the local OpenID provider.
      auth: {
        mode: 'oidc',
        issuer: cloud.identity.issuer,
        clientId: WEB_APP_CLIENT_ID,
        audience: cloud.identity.audience,
      },
    },
  });
  const web = await webStarting;
  console.log(
    [
      '',
      `Udagram is running (API ready in ${apiSeconds} s; data ${cloud.dataDir ? `in ${cloud.dataDir}` : 'in memory'}):`,
      `  Runtime         ${describeNodeRuntime()}`,
      `  Web app         ${web.url}   (Sign in: any user name on the provider's page)`,
      `  API             ${api}/`,
      `  Swagger UI      ${api}/docs/   (Authorize → oauth2: any user name; PUT /images/{imageId}/photo uploads)`,
      `  OpenAPI JSON    ${api}/docs-json`,
      `  WebSocket       ${system.webSocket.websocketUrl}   (live image status notifications)`,
      `  OpenID provider ${cloud.identity.issuer}.well-known/openid-configuration`,
      `  JWKS            ${cloud.identity.jwksUrl}`,
      `  Lambda (Invoke) ${system.lambda.endpoint}`,
      `  SQS             ${system.env.CLASSIFICATION_QUEUE_URL}`,
      `                  ${system.env.THUMBNAIL_QUEUE_URL}`,
      `  Dead letters    ${system.env.CLASSIFICATION_DEAD_LETTER_QUEUE_URL}`,
      `                  ${system.env.THUMBNAIL_DEAD_LETTER_QUEUE_URL}   (npm run redrive)`,
      `  Logs            ${system.env.UDAGRAM_LOG_DIR}/<service>.log   (npm run trace -- <imageId>)`,
      `  Token shortcut  ${cloud.identity.tokenUrl}?sub=<user name>   (for scripts: an access token without a browser)`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

let options: StartOptions;
try {
  options = parseStartOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof StartOptionsError)) throw error;
  console.error(`${error.message}\n\n${START_USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(START_USAGE);
  process.exit(0);
}
// SIGHUP too: closing the terminal should stop Java as well.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal, 0));
main(options).catch((error: unknown) => {
  console.error('Udagram did not start:', error);
  return stop('Start failed', 1);
});
