/**
 * `npm run plan -- [--stack <name>] [--config-file <path>] [--json <file>] [--policy-config <file>]
 *                  [--program <dir>] [--preview]`
 *
 * Runs the blueprint (or another Pulumi TypeScript program) under the Pulumi SDK's mock engine,
 * with no cloud account, reports what `pulumi up` would register, and judges it with the policy
 * pack through the engine's analyzer interface. With `--preview`, runs it as `pulumi preview` of a
 * new stack does: ids and computed outputs unknown, and what could not be judged is named.
 * Exit codes: 0 planned, 1 bad input or program error, 2 mandatory policy violations.
 *
 * This entry point loads only what it needs to read its arguments and start the policy pack's
 * process: the pack (Node, tsx, the Pulumi SDK and @pulumi/policy) then starts on another core
 * while this process loads the SDK, the AWS provider and the program (`./engine/plan-run`).
 */
import "./lib/compile-cache";
import * as path from "node:path";
import { Command } from "commander";
import { parseArgs } from "./lib/args";
import { exitWhenFlushed } from "./lib/exit";
import { spawnPack } from "./engine/pack-process";
import type { PlanOptions } from "./engine/plan-run";

/** The blueprint's policy pack (`dist/policies` when run from the built package). */
const PACK_DIR = path.resolve(__dirname, "..", "policies");

async function main(argv: string[]): Promise<number> {
    const program = new Command("plan")
        .description("Offline plan: run a Pulumi program under the mock engine, with no AWS account, report what it would deploy and judge it with the policy pack.")
        .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to plan (default: the config file's lakehouse:environment, else dev)")
        .option("-c, --config-file <path>", "plan with this stack configuration file instead")
        .option("--json <file>", "also write the plan as JSON to this file")
        .option("--policy-config <file>", "policy config (levels and parameters); default policies/config/<stack>.json")
        .option("--no-policies", "skip the policy evaluation")
        .option("--program <dir>", "plan another team's Pulumi TypeScript program (its own Pulumi.yaml, stack config and node_modules)")
        .option("-f, --format <format>", "text, or markdown (a pull-request comment)", "text")
        .option("--base <plan.json>", "with --format markdown: a plan JSON (e.g. of the target branch) to show the cost difference to")
        .option("--region <code>", "with --program: the Region when the program's stack sets none or has no stack file", "us-east-1")
        .option("--preview", "run the program as pulumi preview of a new stack does: ids and computed outputs (ARNs, endpoints) unknown, inputs known")
        .addHelpText(
            "after",
            "\nExit codes: 0 planned; 1 invalid configuration, bad arguments or a program error; 2 mandatory policy violations.\nThe plan is deterministic: two runs of the same stack give byte-identical JSON.",
        )
        .showHelpAfterError()
        .exitOverride();
    const parsed = parseArgs<PlanOptions>(program, argv);
    if ("exitCode" in parsed) return parsed.exitCode;
    const { options } = parsed;
    const pack = options.policies ? spawnPack(PACK_DIR) : undefined;
    try {
        // Required here, after the pack's process started, not imported at the top (see above).
        const { runPlan }: typeof import("./engine/plan-run") = require("./engine/plan-run");
        return await runPlan(options, { packDir: PACK_DIR, pack });
    } finally {
        // Stopped however the plan ended (the plan closes it too; stopping twice is harmless).
        pack?.stop();
    }
}

main(process.argv.slice(2)).then(
    (code) => exitWhenFlushed(code),
    (err) => {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        exitWhenFlushed(1);
    },
);
