/**
 * The offline plan itself (`npm run plan`, entry point `cli/plan.ts`): validate the stack and the
 * policy config, run the program with the pack judging each resource as it is registered, then
 * cost, verify and report.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathNodeWarning } from "../lib/node-runtime";
import { verifyPlan } from "../../verifier";
import { publicReport, renderVerification } from "../../verifier/report";
import { ConfigError, POLICY_CONFIG_ENV, readStackFile } from "../../config/loader";
import { openJudgeDuring, type PolicyJudge, readPolicyConfig } from "./judge";
import { BLUEPRINT_DIR, checkStack, planStack } from "./plan-stack";
import type { PackProcess } from "./pack-process";
import { PolicyConfigError } from "./policy-analyzer";
import { costSection, renderCostSummary } from "../report/cost-section";
import { quotaSection, renderQuotaSummary } from "../report/quota-section";
import { declaredQuotas } from "../../config/quotas";
import { renderPlanMarkdown } from "../report/markdown";
import { type PlanDocument, planDocument, serializePlan } from "../report/plan-document";
import { progress } from "../report/progress";
import { type PolicySection, renderPolicySummary } from "../report/policy-report";
import { renderSummary, renderUnknowns } from "../report/summary";
import { plural } from "../report/text";

/** The plan command's options (see `cli/plan.ts` for their flags). */
export interface PlanOptions {
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

/** Where the policy pack is, and its process when the entry point already started it. */
export interface PackRequest {
    packDir: string;
    pack?: PackProcess;
}

/** Plans as the options say; returns the exit code (0 planned, 1 bad input, program error or a quota exceeded, 2 mandatory violations). */
export async function runPlan(options: PlanOptions, { packDir, pack }: PackRequest): Promise<number> {
    let judge: PolicyJudge | undefined;
    // Asked now, printed at the end: finding the node on PATH starts another Node.
    const nodeWarning = pathNodeWarning(BLUEPRINT_DIR);
    try {
        const stack = options.stack ?? (options.configFile && !options.program ? environmentOf(options.configFile) : undefined) ?? "dev";
        if (!["text", "markdown"].includes(options.format)) throw new ConfigError([`--format: got "${options.format}"; expected text or markdown`]);
        const base = options.base ? readBasePlan(options.base) : undefined;
        // Everything that can be checked without running is checked first: the stack, then its guardrails.
        const { rawConfig } = checkStack({ stack, configFile: options.configFile, program: options.program, region: options.region });
        // The account's raised quotas (lakehouse:quotas), validated before anything runs.
        const declared = declaredQuotas(rawConfig);
        if (declared.errors.length) throw new ConfigError(declared.errors);
        if (options.policies) readPolicyConfig({ packDir, policyConfig: options.policyConfig, stack });
        // The program refuses a stack without a policy config; --policy-config names the stack's.
        if (options.policyConfig) process.env[POLICY_CONFIG_ENV] = path.resolve(options.policyConfig);
        // The pack (started by the entry point, or here) is configured while the program runs, and
        // judges each resource as the program registers it: a bad policy config fails the plan as
        // soon as the pack answers, not after the program.
        const planned = progress("Planning");
        let ran: Awaited<ReturnType<typeof planStack>>;
        try {
            ({ judge, result: ran } = await openJudgeDuring(
                options.policies ? { packDir, policyConfig: options.policyConfig, stack } : undefined,
                (onRecorded) => planStack({ stack, configFile: options.configFile, program: options.program, region: options.region, mode: options.preview ? "preview" : "up", onRecorded }),
                pack,
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
        const quotas = quotaSection(run.resources, region, declared.quotas);
        const doc = planDocument(run, { policies, cost, verification, quotas });
        if (options.format === "markdown") {
            process.stdout.write(renderPlanMarkdown(doc, base));
        } else {
            const out = [renderSummary(doc, { region, accountId, runtime: run.runtime }), "", renderCostSummary(cost)];
            if (policies) out.push("", renderPolicySummary(policies));
            out.push("", renderVerification(verification));
            out.push("", renderQuotaSummary(quotas));
            if (doc.mode === "preview") out.push("", renderUnknowns(doc));
            process.stdout.write(`${out.join("\n")}\n`);
        }
        const warning = await nodeWarning;
        if (warning) process.stderr.write(warning);
        if (options.json) {
            fs.writeFileSync(options.json, serializePlan(doc));
            process.stdout.write(`\nPlan written to ${options.json}\n`);
        }
        // A stack that needs more than its account's quotas would fail mid-deployment: refused here.
        if (quotas.refusals.length > 0) {
            for (const line of quotas.refusals) process.stderr.write(`error: ${line}\n`);
            return 1;
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

