// Build config only (runs in Node, not in the page): root is renderer/, output dist/renderer.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: new URL('../dist/renderer', import.meta.url).pathname,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
