import type { ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { AppModule } from '../../src/app.module.js';
import type { AppConfig } from '../../src/config/index.js';
import { configureApiApp } from '../../src/core/http/configure-app.js';
import { type Env, testConfig, testEnv } from './test-env.js';
import { cleanupTestData } from './cleanup.js';

export interface TestApi {
  app: NestExpressApplication;
  url: string;
  env: Env;
  config: AppConfig;
  connection: Connection;
  /** Closes the app; with `drop` (default) also drops the suite's database and Redis keys. */
  close(options?: { drop?: boolean }): Promise<void>;
}

/** The real api (same modules and setup as main.ts) on a random port, against real FerretDB and Redis. */
export async function startTestApi(
  overrides: Env = {},
  extra: Pick<ModuleMetadata, 'imports' | 'controllers' | 'providers'> = {},
): Promise<TestApi> {
  const env = testEnv(overrides);
  const config = testConfig(env);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register(config), ...(extra.imports ?? [])],
    controllers: extra.controllers ?? [],
    providers: extra.providers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  configureApiApp(app, config);
  await app.listen(0, '127.0.0.1');
  const connection = app.get<Connection>(getConnectionToken());
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    env,
    config,
    connection,
    async close({ drop = true } = {}) {
      if (drop) await cleanupTestData(env);
      await app.close();
    },
  };
}
