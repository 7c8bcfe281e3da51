import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Served by saga-orchestrator: the page at /ops, everything else under /ops/ui/.
export default defineConfig({
  root,
  base: '/ops/ui/',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/apps/saga-orchestrator/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': process.env.GATEWAY_URL ?? 'http://localhost:3000',
      '/ops/': process.env.GATEWAY_URL ?? 'http://localhost:3000',
    },
  },
});
