// Dashboard build: Svelte 5 + Vite. `npm run dev -w dashboard` proxies the API and socket.io
// to the server at VITE_API (default http://localhost:8080); `npm run build -w dashboard`
// writes dashboard/dist, which the server serves on its own port.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const api = process.env.VITE_API ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [svelte()],
  resolve: {
    // Types (and a few constants) of the wire contract; nothing from node.
    alias: { '@shared': new URL('../shared/src', import.meta.url).pathname },
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/socket.io': { target: api, changeOrigin: true, ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
});
