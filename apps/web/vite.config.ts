import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The launcher (`npm start`) serves the built app and /config.json on this port; the dev server borrows its config.
const launcherWebUrl = process.env.UDAGRAM_WEB_URL ?? 'http://127.0.0.1:5173';

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the same files work from any path of a bucket or CDN.
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    host: '127.0.0.1',
    port: 5174,
    strictPort: true,
    proxy: { '/config.json': launcherWebUrl },
  },
});
