import { ConfigError, loadConfig, type AppConfig } from './config/index.js';

/** Loads the config or stops the process with one line naming every offending key. */
export function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
