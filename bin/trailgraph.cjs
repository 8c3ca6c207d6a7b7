#!/usr/bin/env node
// The CLI runs the compiled code: `npm install` builds it (the prepare script).
require('../dist/src/production-mode.js');
require('../dist/src/main.js');
