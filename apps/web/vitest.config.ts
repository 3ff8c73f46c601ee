import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The web client's own tests (components, API client, config), run by the root's Vitest:
// `npm run test:web`. Its browser end-to-end test is in the root's e2e project (apps/web/test/).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  test: {
    name: 'web',
    environment: './test/happy-dom-environment.ts',
    include: ['src/**/*.spec.{ts,tsx}'],
    restoreMocks: true,
  },
});
