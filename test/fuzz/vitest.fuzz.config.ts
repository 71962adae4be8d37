// `pnpm fuzz`: the long fuzz run, with the repository's aliases and emulator set-up, on the
// one file the normal test command does not include.
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/fuzz/long-run.fuzz.ts'],
    // A long run is long on purpose; each target is still bounded by its own budget.
    testTimeout: 24 * 60 * 60 * 1000,
  },
});
