/**
 * `npm run verify -- [--stack <name> | --config-file <path> | --plan <plan.json>] [--program <dir>] [--json <file>] [--preview]`
 *
 * Proves offline that every hop of every data path is wired and permitted: each principal may do
 * what its hop needs through identity, bucket and key policies together, and writers and readers
 * agree on where the data lies. Plans the stack first, or reads a saved plan JSON.
 * With `--preview`, plans as `pulumi preview` does (ids and ARNs unknown): the hops the verifier
 * finds depending on them are counted and listed as not judged.
 * Exit codes: 0 every hop verified, 4 at least one hop broken, 1 bad input or a failed plan.
 */
import * as fs from "node:fs";
import { Command } from "commander";
import { ConfigError } from "../config/loader";
import { asPlannedStack, isBroken, PlanFormatError, type PlannedStack, verifyPlan } from "../verifier";
import { publicReport, renderVerification } from "../verifier/report";
import { planStack } from "./engine/plan-stack";
import { parseArgs } from "./lib/args";
import { exitWhenFlushed } from "./lib/exit";
import { costSection } from "./report/cost-section";
import { planDocument } from "./report/plan-document";

interface VerifyOptions {
    stack: string;
    configFile?: string;
    plan?: string;
    program?: string;
    json?: string;
    preview?: boolean;
}

/** Exit code of a verification with at least one broken hop. */
export const BROKEN_HOPS_EXIT_CODE = 4;

async function plannedStack(options: VerifyOptions): Promise<PlannedStack> {
    if (options.plan) {
        if (!fs.existsSync(options.plan)) throw new PlanFormatError(`${options.plan}: no such plan file`);
        let document: unknown;
        try {
            document = JSON.parse(fs.readFileSync(options.plan, "utf8"));
        } catch (err) {
            throw new PlanFormatError(`${options.plan}: not valid JSON (${(err as Error).message})`);
        }
        return asPlannedStack(document, options.plan);
    }
    const { run, region } = await planStack({ stack: options.stack, configFile: options.configFile, program: options.program, mode: options.preview ? "preview" : "up" });
    return planDocument(run, { cost: costSection(run.resources, run.outputs, region) });
}

async function main(argv: string[]): Promise<number> {
    const program = new Command("verify")
        .description("Pipeline verifier: prove offline that every hop of every data path is wired and permitted.")
        .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to plan and verify", "dev")
        .option("-c, --config-file <path>", "plan and verify with this stack configuration file instead")
        .option("--plan <file>", "verify a saved plan JSON (npm run plan -- --json) instead of planning")
        .option("--program <dir>", "plan and verify another team's Pulumi TypeScript program")
        .option("--json <file>", "write the report as JSON to this file")
        .option("--preview", "plan as pulumi preview of a new stack does (ids and ARNs unknown); hops that need them are reported as not judged")
        .addHelpText("after", `\nExit codes: 0 every hop verified; ${BROKEN_HOPS_EXIT_CODE} at least one hop broken; 1 bad input or a failed plan.`)
        .showHelpAfterError()
        .exitOverride();
    const parsed = parseArgs<VerifyOptions>(program, argv);
    if ("exitCode" in parsed) return parsed.exitCode;
    const { options } = parsed;
    try {
        if (options.preview && options.plan) throw new ConfigError(["--preview plans the stack; a saved --plan is verified in the mode it was planned in"]);
        const report = publicReport(await verifyPlan(await plannedStack(options)));
        process.stdout.write(`${renderVerification(report)}\n`);
        // Always said in a preview, even when nothing waited: "0 not judged" is itself the evidence.
        if (options.preview) process.stdout.write(`Preview: ${report.summary.notJudged} of ${report.summary.hops} hops not judged (they depend on ids or ARNs known only after the update)\n`);
        if (options.json) {
            fs.writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
            process.stdout.write(`\nReport written to ${options.json}\n`);
        }
        return report.hops.some(isBroken) ? BROKEN_HOPS_EXIT_CODE : 0;
    } catch (err) {
        return reportFailure(err);
    }
}

function reportFailure(err: unknown): number {
    if (err instanceof ConfigError) for (const line of err.lines) process.stderr.write(`error: ${line}\n`);
    else process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
}

main(process.argv.slice(2)).then(exitWhenFlushed, (err) => exitWhenFlushed(reportFailure(err)));
