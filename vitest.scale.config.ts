import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `pnpm test:scale`: the migration at scale (20,000 items, 5,000 objects, 8 worker processes,
// an application writing meanwhile, a worker killed and the run resumed). Minutes, not
// seconds: kept out of the default run. The include list replaces the default one.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/test/**/*.scale-test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
