#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (also run by
// `npm ci` through the prepare script), so start-up never pays for a
// TypeScript compiler. The code cache and the deferred loads only make
// start-up faster; see their files.
require("../dist/src/compile-cache.js").useCompileCache();
require("../dist/src/deferred-loads.js").deferUnusedLoads();
require("../dist/src/cli.js").main(process.argv.slice(2));
