import * as fs from "node:fs";
import * as path from "node:path";
import { policySection, type PolicySection } from "../report/policy-report";
import { PolicyConfigError, PolicyPackServer, resolvePolicyConfig } from "./policy-analyzer";
import type { ProgramRun } from "./run-program";

/** Where the pack lives and which policy config applies. */
export interface JudgeOptions {
    /** Directory of the policy pack (its index.ts starts the analyzer). */
    packDir: string;
    /** Explicit policy config file; when absent, `<packDir>/config/<stack>.json` if it exists. */
    policyConfig?: string;
    stack: string;
}

/**
 * Judges a recorded program with the policy pack, as `pulumi preview --policy-pack` would:
 * start the pack, read its policies, configure levels and parameters, Analyze every resource and
 * AnalyzeStack the whole. Shared by the plan command and the tests.
 */
export async function judgeRun(run: ProgramRun, options: JudgeOptions): Promise<PolicySection> {
    const configPath = options.policyConfig ? path.resolve(options.policyConfig) : path.join(options.packDir, "config", `${options.stack}.json`);
    const server = await PolicyPackServer.start(options.packDir);
    try {
        const info = await server.info();
        let document: unknown = {};
        let source = "pack defaults";
        if (fs.existsSync(configPath)) {
            source = path.relative(process.cwd(), configPath) || configPath;
            try {
                document = JSON.parse(fs.readFileSync(configPath, "utf8"));
            } catch (err) {
                throw new PolicyConfigError([`${source}: not valid JSON (${(err as Error).message})`]);
            }
        } else if (options.policyConfig) {
            throw new PolicyConfigError([`${configPath}: no such policy config file`]);
        }
        const resolved = resolvePolicyConfig(document, info.policies, source);
        await server.configure(resolved);
        const diagnostics = await server.evaluate(run, { remediate: Object.values(resolved).some((p) => p.level === "remediate") });
        return policySection({ pack: `${info.name}@${info.version}`, policies: info.policies, diagnostics }, resolved, source);
    } finally {
        server.close();
    }
}
