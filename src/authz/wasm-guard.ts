import { setFlagsFromString } from 'node:v8';

/**
 * Node 20's V8 can abort the process (a fatal "unreachable code" in the
 * deoptimizer) when it lazily deoptimizes a hot function into which TurboFan
 * inlined a JS-to-WebAssembly call, as it does with the Cedar engine's calls
 * under sustained load. Turning that one inlining off avoids it; it affects
 * code optimized from now on, so this module is imported before the Cedar
 * engine is first called.
 */
setFlagsFromString('--no-turbo-inline-js-wasm-calls');
