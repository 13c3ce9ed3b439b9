import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { configOrExit } from './bootstrap.js';
import { configureApiApp } from './core/http/configure-app.js';
import { installGracefulShutdown } from './core/shutdown.js';

const config = configOrExit();
const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
  bufferLogs: true,
  bodyParser: false, // configureApiApp sets the parsers with our size limits
});
configureApiApp(app, config);
installGracefulShutdown(app, app.get(Logger), config.shutdownTimeoutMs);
await app.listen(config.http.port, config.http.host);
app.get(Logger).log(`api listening on ${await app.getUrl()} (Swagger UI at /docs)`, 'Bootstrap');
