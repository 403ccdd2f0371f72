import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // electron-store and conf are ESM-only: bundle them rather than resolve them at run time.
      externalizeDeps: { exclude: ['electron-store', 'conf', 'zod'] },
      rollupOptions: { input: { index: resolve('main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can only require('electron'): one self-contained CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves the renderer unminified; minified, Chromium parses and compiles the
      // bundle faster at every start of a shift.
      minify: true,
      chunkSizeWarningLimit: 2000,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
