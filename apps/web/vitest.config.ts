import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The web client's own tests (components, API client, config), run by the root's Vitest:
// `npm run test:web`. Its browser tests are the root's browser project (apps/web/test/).
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
