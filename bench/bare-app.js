"use strict";
/**
 * The baseline for strata's start-up: a cdktf app that loads cdktf and
 * synthesizes one empty stack, nothing else. It is what any cdktf program
 * pays before doing its own work.
 *
 * Usage: node bench/bare-app.js OUTDIR
 */
const { App, TerraformStack } = require("cdktf");

const outdir = process.argv[2];
if (!outdir) {
  process.stderr.write("usage: node bench/bare-app.js OUTDIR\n");
  process.exit(2);
}

const app = new App({ outdir, stackTraces: false });
new TerraformStack(app, "bare");
app.synth();
