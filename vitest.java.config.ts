import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `pnpm test:java`: the interop tests against the Java DB-ESDK peer (test/java-peer, Maven,
// JDK 17). Kept out of the default run: the first build downloads the DB-ESDK from Maven
// Central and every file starts a JVM. The include list replaces the default one (mergeConfig
// would append to it and run every test).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/test/**/*.java-test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
