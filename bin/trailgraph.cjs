#!/usr/bin/env node
// The CLI runs the compiled code: `npm install` builds it (the prepare script).
require('../dist/src/main.js');
