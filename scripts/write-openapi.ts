// `npm run openapi`: writes docs/openapi.json from the running app's routes (the health e2e test
// fails when the committed file is stale).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../src/app.module.js';
import { configOrExit } from '../src/bootstrap.js';
import { configureApiApp } from '../src/core/http/configure-app.js';
import { createOpenApiDocument } from '../src/core/http/swagger.js';

const config = configOrExit();
const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
  bodyParser: false,
  logger: ['error'],
});
configureApiApp(app, config);
await app.init();
writeFileSync(new URL('../../docs/openapi.json', import.meta.url), `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
await app.close();
console.log('wrote docs/openapi.json');
