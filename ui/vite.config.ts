import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Served at the root by both the Tauri shell and `gatehouse serve`: absolute paths.
export default defineConfig({
  plugins: [svelte()],
  base: '/',
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    // `npm run dev` against a running `gatehouse serve`.
    proxy: { '/api': 'http://127.0.0.1:18080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
