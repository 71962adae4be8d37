import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests import the packages by name and run against their TypeScript sources, so a test
// run needs no build step.
export default defineConfig({
  resolve: {
    alias: {
      '@phiseal/core': here('./packages/core/src/index.ts'),
      '@phiseal/guard': here('./packages/guard/src/index.ts'),
      '@phiseal/dynamodb': here('./packages/dynamodb/src/index.ts'),
      '@phiseal/s3': here('./packages/s3/src/index.ts'),
      '@phiseal/sqs': here('./packages/sqs/src/index.ts'),
      '@phiseal/keystore': here('./packages/keystore/src/index.ts'),
      '@phiseal/migrate': here('./packages/migrate/src/index.ts'),
      '@phiseal/test-support': here('./test/support/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./scripts/vitest-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
