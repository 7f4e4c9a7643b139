import { defineConfig } from 'vite';

// Run from this folder (pnpm --filter @gridcase/desk-web build). Desk serves dist/ at / and /assets/.
export default defineConfig({
  base: '/',
  // Preact's automatic JSX runtime; no plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Everything as files: the page's CSP allows scripts, styles and images from its own origin only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
