import { startHttpServer } from './http-server.js';

await startHttpServer();
