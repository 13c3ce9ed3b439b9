export { cleanupTestData } from './cleanup.js';
export { freePort, runProcess, type RunningProcess } from './processes.js';
export { startTestApi, type TestApi } from './test-app.js';
export { type Env, testConfig, testEnv } from './test-env.js';
