#!/usr/bin/env node
// `npx trailgraph` inside this checkout: npm links the bins of dependencies,
// not the project's own, so link it (run by the prepare script after install).
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..');
const binDir = path.join(root, 'node_modules', '.bin');
const link = path.join(binDir, 'trailgraph');
fs.mkdirSync(binDir, { recursive: true });
try {
  fs.unlinkSync(link);
} catch {
  // not linked yet
}
fs.symlinkSync(path.relative(binDir, path.join(root, 'bin', 'trailgraph.cjs')), link);
