/**
 * Runs the blueprint's program (index.ts) under the offline mock engine as `pulumi up` would, with
 * none of the offline CLI's own checks: `tsx tests/helpers/run-blueprint.ts <stack> <stack file>`.
 * Prints the number of registered resources, or the program's error; exits 0 or 1. One run per
 * process (the SDK's runtime state is global).
 */
import { readStackFile, toPulumiConfigMap } from "../../config/loader";
import { BLUEPRINT_DIR, stackTarget } from "../../cli/engine/plan-stack";
import { runProgram } from "../../cli/engine/run-program";
import { exitWhenFlushed } from "../../cli/lib/exit";

async function main(): Promise<void> {
    const [stack, file] = process.argv.slice(2);
    const raw = readStackFile(file);
    const run = await runProgram({
        programDir: BLUEPRINT_DIR,
        main: "index.ts",
        project: "lakehouse",
        stack,
        config: toPulumiConfigMap(raw),
        target: stackTarget(raw, String(raw["aws:region"])),
    });
    process.stdout.write(`registered ${run.resources.length} resources\n`);
    exitWhenFlushed(0);
}

main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    exitWhenFlushed(1);
});
