// The console is a static single-page app: `vite build` writes dist/, which the server serves at `/`.
// In development (`npm run dev -w @vigil/web`) Vite proxies the API and the live WebSocket to a
// running server (VIGIL_DEV_SERVER, default http://127.0.0.1:8080).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const target = process.env.VIGIL_DEV_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': { target, ws: true, changeOrigin: false } } },
});
