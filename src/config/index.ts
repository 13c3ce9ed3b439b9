export { AppConfig } from './app-config.js';
export { ConfigModule } from './config.module.js';
export { ConfigError, loadConfig } from './load-config.js';
