import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the PyTorch reference fixtures, made once before the tests (not inside a test's time limit)
    globalSetup: ['test/setup/torch-fixtures.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // onnxruntime's telemetry leaves `.ses` and `mat-debug-PID.log` in the temp folder otherwise
    env: { ORT_DISABLE_TELEMETRY: '1' },
  },
});
