import { ModulesContainer } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '@test/support';

describe('module boundaries at runtime', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('global modules export contracts and infrastructure, never a feature service or repository', () => {
    const leaked: string[] = [];
    for (const module of api.app.get(ModulesContainer).values()) {
      if (!module.isGlobal) continue;
      for (const token of module.exports) {
        const name = typeof token === 'function' ? token.name : String(token);
        if (/(Service|Repository)$/.test(name)) leaked.push(`${module.metatype.name} exports ${name}`);
      }
    }
    expect(leaked).toEqual([]);
  });

  it('builds each feature module once, however many modules import it', () => {
    const names = [...api.app.get(ModulesContainer).values()].map((m) => m.metatype.name);
    expect(names.filter((n) => n === 'ConnectionsModule')).toHaveLength(1);
  });
});
