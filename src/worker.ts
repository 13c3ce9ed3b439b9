import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { configOrExit } from './bootstrap.js';
import { installGracefulShutdown } from './core/shutdown.js';
import { WorkerModule } from './worker.module.js';

const config = configOrExit();
const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { bufferLogs: true });
app.useLogger(app.get(Logger));
installGracefulShutdown(app, app.get(Logger), config.shutdownTimeoutMs);
await app.init();
app.get(Logger).log('worker ready', 'Bootstrap');
