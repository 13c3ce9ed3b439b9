import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

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
    include: ['src/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    // The second checks every HTTP response a suite receives against docs/openapi.json.
    setupFiles: ['reflect-metadata', './test/support/openapi/validate-responses.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
