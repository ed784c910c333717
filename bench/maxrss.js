"use strict";
/**
 * Fallback for peak memory when /usr/bin/time (GNU) is missing: preloaded into
 * every Node.js process of a measured command through NODE_OPTIONS, it appends
 * the process's peak resident set size in kilobytes to the file named by
 * STRATA_BENCH_RSS_FILE when the process exits. The bench takes the largest
 * line, so the figure is the biggest single process, as GNU time reports.
 */
const { appendFileSync } = require("node:fs");

const file = process.env.STRATA_BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    try {
      appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // A process that cannot write its figure must not fail because of the bench.
    }
  });
}
