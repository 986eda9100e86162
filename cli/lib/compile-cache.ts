/**
 * Imported first by a command whose start-up is measured (`npm run plan`):
 * - Node keeps the compiled code of the modules it loads from here on (the Pulumi SDK, the AWS
 *   provider's thousands of modules, the TypeScript compiler the components use) in a cache on
 *   disk, keyed by their content, and later runs skip compiling them again
 *   (https://nodejs.org/api/module.html#module-compile-cache). The policy pack's process, started
 *   by the plan, uses the same cache through the environment.
 * - Source maps go off: tsx turns them on, then writes a map into every module it compiles and
 *   Node indexes each one (about 0.1 s of start-up). The command reports errors by their message,
 *   never by a source position, so nothing reads them.
 */
import * as nodeModule from "node:module";

const enabled = nodeModule.enableCompileCache?.();
if (enabled?.directory && process.env.NODE_COMPILE_CACHE === undefined) process.env.NODE_COMPILE_CACHE = enabled.directory;
process.setSourceMapsEnabled(false);
