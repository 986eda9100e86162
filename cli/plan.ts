/**
 * `npm run plan -- [--stack <name>] [--config-file <path>] [--json <file>] [--policy-config <file>]
 *                  [--program <dir>] [--preview]`
 *
 * Runs the blueprint (or another Pulumi TypeScript program) under the Pulumi SDK's mock engine,
 * with no cloud account, reports what `pulumi up` would register, and judges it with the policy
 * pack through the engine's analyzer interface. With `--preview`, runs it as `pulumi preview` of a
 * new stack does: ids and computed outputs unknown, and what could not be judged is named.
 * Exit codes: 0 planned, 1 bad input or program error, 2 mandatory policy violations.
 */
import "./lib/compile-cache";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { parseArgs } from "./lib/args";
import { exitWhenFlushed } from "./lib/exit";
import { warnWhenPathNodeIsOld } from "./lib/node-runtime";
import { verifyPlan } from "../verifier";
import { publicReport, renderVerification } from "../verifier/report";
import { ConfigError, POLICY_CONFIG_ENV, readStackFile } from "../config/loader";
import { openJudgeDuring, type PolicyJudge, readPolicyConfig } from "./engine/judge";
import { BLUEPRINT_DIR, checkStack, planStack } from "./engine/plan-stack";
import { PolicyConfigError } from "./engine/policy-analyzer";
import { costSection, renderCostSummary } from "./report/cost-section";
import { renderPlanMarkdown } from "./report/markdown";
import { type PlanDocument, planDocument, serializePlan } from "./report/plan-document";
import { progress } from "./report/progress";
import { type PolicySection, renderPolicySummary } from "./report/policy-report";
import { renderSummary, renderUnknowns } from "./report/summary";
import { plural } from "./report/text";

const PACK_DIR = path.join(BLUEPRINT_DIR, "policies");

interface PlanOptions {
    stack?: string;
    configFile?: string;
    json?: string;
    policyConfig?: string;
    policies: boolean;
    program?: string;
    region?: string;
    format: string;
    base?: string;
    preview?: boolean;
}

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

    let judge: PolicyJudge | undefined;
    try {
        const stack = options.stack ?? (options.configFile && !options.program ? environmentOf(options.configFile) : undefined) ?? "dev";
        if (!["text", "markdown"].includes(options.format)) throw new ConfigError([`--format: got "${options.format}"; expected text or markdown`]);
        const base = options.base ? readBasePlan(options.base) : undefined;
        // Everything that can be checked without running is checked first: the stack, then its guardrails.
        checkStack({ stack, configFile: options.configFile, program: options.program, region: options.region });
        if (options.policies) readPolicyConfig({ packDir: PACK_DIR, policyConfig: options.policyConfig, stack });
        // The program refuses a stack without a policy config; --policy-config names the stack's.
        if (options.policyConfig) process.env[POLICY_CONFIG_ENV] = path.resolve(options.policyConfig);
        // The pack starts, and its config is resolved against its policies, while the program
        // runs: a bad policy config fails the plan as soon as the pack answers, not after the program.
        const planned = progress("Planning");
        let ran: Awaited<ReturnType<typeof planStack>>;
        try {
            ({ judge, result: ran } = await openJudgeDuring(options.policies ? { packDir: PACK_DIR, policyConfig: options.policyConfig, stack } : undefined, () =>
                planStack({ stack, configFile: options.configFile, program: options.program, region: options.region, mode: options.preview ? "preview" : "up" }),
            ));
        } finally {
            planned();
        }
        const { run, region, accountId } = ran;
        // The pack judges in its own process while the cost and the verifier run in this one.
        const judged = judge ? progress("Judging with the policy pack") : undefined;
        const judging = judge?.judge(run).finally(judged);
        judging?.catch(() => undefined);

        const cost = costSection(run.resources, run.outputs, region);
        const verification = publicReport(await verifyPlan(planDocument(run, { cost })));
        const policies: PolicySection | undefined = await judging;
        const doc = planDocument(run, { policies, cost, verification });
        if (options.format === "markdown") {
            process.stdout.write(renderPlanMarkdown(doc, base));
        } else {
            const out = [renderSummary(doc, { region, accountId, runtime: run.runtime }), "", renderCostSummary(cost)];
            if (policies) out.push("", renderPolicySummary(policies));
            out.push("", renderVerification(verification));
            if (doc.mode === "preview") out.push("", renderUnknowns(doc));
            process.stdout.write(`${out.join("\n")}\n`);
        }
        warnWhenPathNodeIsOld(BLUEPRINT_DIR);
        if (options.json) {
            fs.writeFileSync(options.json, serializePlan(doc));
            process.stdout.write(`\nPlan written to ${options.json}\n`);
        }
        if (policies && policies.summary.mandatory > 0) {
            const broken = [...new Set(policies.violations.filter((v) => v.level === "mandatory").map((v) => v.policy))];
            process.stderr.write(`error: ${plural(policies.summary.mandatory, "mandatory policy violation")} (${broken.join(", ")})\n`);
            return 2;
        }
        return 0;
    } catch (err) {
        return reportFailure(err);
    } finally {
        judge?.close();
    }
}

/** A plan JSON to compare with; one line when it is missing or not a plan. */
function readBasePlan(file: string): PlanDocument {
    if (!fs.existsSync(file)) throw new ConfigError([`--base ${file}: no such plan file`]);
    try {
        const doc = JSON.parse(fs.readFileSync(file, "utf8")) as PlanDocument;
        if (!doc || !Array.isArray(doc.resources)) throw new Error("no resources");
        return doc;
    } catch {
        throw new ConfigError([`--base ${file}: not a plan JSON written by npm run plan -- --json`]);
    }
}

/** The `lakehouse:environment` a stack file names, if it names one. */
function environmentOf(configFile: string): string | undefined {
    const environment = readStackFile(configFile)["lakehouse:environment"];
    return typeof environment === "string" ? environment : undefined;
}

function reportFailure(err: unknown): number {
    if (err instanceof ConfigError || err instanceof PolicyConfigError) {
        for (const line of err.lines) process.stderr.write(`error: ${line}\n`);
    } else {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    return 1;
}

main(process.argv.slice(2)).then(
    (code) => exitWhenFlushed(code),
    (err) => exitWhenFlushed(reportFailure(err)),
);
