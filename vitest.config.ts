import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { configDefaults, defineConfig } from 'vitest/config';

// Files that mostly wait (a client offline for minutes): project "sleepers", which scripts/test.sh runs in a
// second vitest process beside the rest ("suite"), so their waiting does not add to the run's wall time.
// On 2 cores vitest runs one file at a time (maxWorkers = cores - 1), so they could not overlap otherwise.
const SLEEPERS = ['test/reliability/offline-sync.e2e-spec.ts'];
const ALL = ['src/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.e2e-spec.ts'];

const lib = (name: string): string => fileURLToPath(new URL(`./libs/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  // SWC instead of esbuild/oxc: Nest's DI needs emitted decorator metadata.
  plugins: [
    swc.vite({
      jsc: {
        target: 'es2023',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
      },
    }),
  ],
  resolve: {
    alias: {
      '@app/common': lib('common'),
      '@app/realtime': lib('realtime'),
      '@app/storage': lib('storage'),
      '@test/support': fileURLToPath(new URL('./test/support/index.ts', import.meta.url)),
    },
  },
  test: {
    // The second checks every HTTP response a suite receives against docs/openapi.json.
    setupFiles: ['reflect-metadata', './test/support/openapi/validate-responses.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      // `include` lives in the projects: with `extends`, a root include would be added to the sleepers' own.
      { extends: true, test: { name: 'suite', include: ALL, exclude: [...configDefaults.exclude, ...SLEEPERS] } },
      { extends: true, test: { name: 'sleepers', include: SLEEPERS } },
    ],
  },
});
