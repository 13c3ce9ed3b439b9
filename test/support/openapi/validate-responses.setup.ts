// Vitest setup file (vitest.config.ts `setupFiles`), so it runs in every test file: every HTTP response
// a supertest request receives is checked against docs/openapi.json before the test sees it. A
// response that drifts from the document (an undocumented route or status, a missing required field,
// a null where the document promises an object) fails the request with the reason. Each file appends
// how many responses it checked to .tools/vitest/openapi-responses.jsonl; scripts/test-summary.mjs
// prints the total.
import { appendFileSync, mkdirSync } from 'node:fs';
import supertest from 'supertest';
import { afterAll, expect } from 'vitest';
import { type CheckedResponse, ResponseValidator } from './response-validator.js';

type Callback = (err: Error | null, res?: CheckedResponse) => void;
interface TestLike {
  method: string;
  url: string;
  assert(resError: Error | null, res: CheckedResponse | undefined, fn?: Callback): void;
}

const root = new URL('../../../', import.meta.url);
const validator = ResponseValidator.fromFile(new URL('docs/openapi.json', root));
const Test = (supertest as unknown as { Test: { prototype: TestLike } }).Test;
const counts = { checked: 0, drifted: 0 };

const assert = Test.prototype.assert;
Test.prototype.assert = function (this: TestLike, resError, res, fn) {
  const pathname = new URL(this.url).pathname;
  if (res && validator.covers(pathname)) {
    counts.checked++;
    const problems = validator.check(this.method, this.url, res);
    if (problems.length > 0) {
      counts.drifted++;
      const drift = new Error(`Response does not match docs/openapi.json:\n  ${problems.join('\n  ')}\n  body: ${res.text?.slice(0, 500)}`);
      return fn?.call(this, drift, res);
    }
  }
  return assert.call(this, resError, res, fn);
};

afterAll(() => {
  const dir = new URL('.tools/vitest/', root);
  mkdirSync(dir, { recursive: true });
  const file = expect.getState().testPath ?? 'unknown';
  appendFileSync(new URL('openapi-responses.jsonl', dir), `${JSON.stringify({ file, ...counts })}\n`);
});
