// ESLint flat config: typescript-eslint with type information, so promise misuse is caught
// (no-floating-promises, no-misused-promises). `npm run lint` fails on any warning.
import { readdirSync } from 'node:fs';
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const libsImportApp = 'libs/ are shared by the app and must not depend on it: move the code into libs/ or inject it.';
// Every file's no-restricted-imports carries this too (a later config replaces the rule's options, never merges them).
const rawEvents = {
  name: '@nestjs/event-emitter',
  importNames: ['EventEmitter2', 'OnEvent'],
  message: 'Emit through DomainEventBus and listen with @OnDomainEvent (@app/common): the names and payloads are one typed map.',
};
const restrictImports = (...patterns) => ['error', { paths: [rawEvents], patterns }];
const libsPattern = { regex: '^(\\.\\./){3,}src(/|$)', message: libsImportApp };

// Module boundaries (no-restricted-imports): a feature module reaches another only through its
// index.ts, and libs/ never import the app. Every folder of src/modules is a module, so a new one is
// covered without editing this file. Relative paths are matched by depth: `(../){d+1}` from a file
// d folders below src/modules/<m>/ is src/modules/ itself.
const modules = readdirSync(new URL('./src/modules/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const deepImport = 'Import another module through its index.js only (its public surface), never its internals.';
const MAX_DEPTH = 4;
// Repositories own persistence: the rest of a module never builds Mongo documents or reads E11000; a
// repository answers `Stored` (stored, or what it duplicates). Part of the same rule's options, so it
// cannot be lost to a later config replacing them.
const persistence = [
  ...['mongoose', 'mongodb'].map((name) => ({ name, message: 'Only repositories and schemas touch Mongoose or the driver.' })),
  {
    name: '@app/common',
    importNames: ['isDuplicateKey', 'oid', 'storeOnce', 'nativeCollection', 'DUPLICATE_KEY'],
    message: 'Persistence helpers belong in repositories; branch on the Stored a repository returns.',
  },
];
// Files of a module that may touch persistence. The chat send path still builds its message and
// catches the duplicate itself (its repository split is the chat module's to finish).
const persistenceFiles = ['**/*.repository.ts', '**/schemas/**', '**/*.spec.ts', 'src/modules/chat/message-sender.service.ts'];
const moduleBoundaries = modules.flatMap((name) =>
  Array.from({ length: MAX_DEPTH }, (_, depth) => {
    const files = `src/modules/${name}/${'*/'.repeat(depth)}*.ts`;
    const boundary = { regex: `^(\\.\\./){${depth + 1}}(?!${name}/)[^./][^/]*/(?!index\\.js$)`, message: deepImport };
    return [
      { files: [files], rules: { 'no-restricted-imports': ['error', { paths: [rawEvents, ...persistence], patterns: [boundary] }] } },
      // AND of two globs: this depth's files that are persistence files.
      { files: persistenceFiles.map((glob) => [files, glob]), rules: { 'no-restricted-imports': restrictImports(boundary) } },
    ];
  }).flat(),
);
export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', 'coverage/', 'eslint.config.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['scripts/*.mjs', 'bench/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-restricted-imports': restrictImports(),
      'no-restricted-properties': [
        'error',
        {
          object: 'BullModule',
          property: 'registerQueue',
          message: 'Use registerQueue() from core/queue: it also lists the queue on the dashboard and the depth gauge.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='upsertJobScheduler']",
          message: 'Use SchedulerKeeper.keep() (src/core/scheduling): it re-creates the schedule when Redis loses it.',
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A switch over a union (job names, event names) must name every member or have a default.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest decorators and DI make these noisy without catching real bugs.
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...moduleBoundaries,
  {
    // The composition roots wire modules together: each module's index.js or its Nest module file.
    files: ['src/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports({
        regex: '^\\./modules/[^/]+/(?!index\\.js$)(?![^/]+\\.module\\.js$)',
        message: deepImport,
      }),
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/config/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports({ regex: '^(\\.\\./)+modules/[^/]+/(?!index\\.js$)', message: deepImport }) },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports(libsPattern) },
  },
  {
    // The one place that registers queues with BullMQ directly.
    files: ['src/core/queue/queue-registry.ts', 'src/core/scheduling/scheduler-keeper.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // The typed bus itself is the one place that wraps EventEmitter2.
    files: ['libs/common/src/events/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [libsPattern] }] },
  },
  {
    // Plain JS helper scripts have no types to check against.
    files: ['**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests read loosely typed JSON bodies (supertest's `any`); the promise rules still apply.
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
