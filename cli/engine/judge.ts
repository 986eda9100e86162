import * as fs from "node:fs";
import * as path from "node:path";
import { policySection, type PolicySection } from "../report/policy-report";
import { type EnforcementLevel, PolicyConfigError, type PolicyEvaluation, PolicyPackServer, resolvePolicyConfig } from "./policy-analyzer";
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
 * A running, configured policy pack, as `pulumi preview --policy-pack` drives it: started, asked
 * for its policies, configured with levels and parameters. Each `judge` Analyzes every resource and
 * AnalyzeStacks the whole. Shared by the plan command and the tests.
 */
export class PolicyJudge {
    private constructor(
        private readonly server: PolicyPackServer,
        private readonly info: { name: string; version: string; policies: PolicyEvaluation["policies"] },
        private readonly levels: Record<string, { level: EnforcementLevel; params: Record<string, unknown> }>,
        private readonly source: string,
        private readonly notices: string[],
    ) {}

    static async open(options: JudgeOptions): Promise<PolicyJudge> {
        const { document, source } = readPolicyConfig(options);
        const server = await PolicyPackServer.start(options.packDir);
        try {
            const info = await server.info();
            const notices: string[] = [];
            const levels = resolvePolicyConfig(document, info.policies, source, notices);
            await server.configure(levels);
            return new PolicyJudge(server, info, levels, source, notices);
        } catch (err) {
            server.close();
            throw err;
        }
    }

    async judge(run: ProgramRun): Promise<PolicySection> {
        const diagnostics = await this.server.evaluate(run, { remediate: Object.values(this.levels).some((p) => p.level === "remediate") });
        return policySection({ pack: `${this.info.name}@${this.info.version}`, policies: this.info.policies, diagnostics }, this.levels, this.source, this.notices);
    }

    close(): void {
        this.server.close();
    }
}

/**
 * Opens the pack (`options`; none: no pack) while `work` runs, instead of before it: starting the
 * pack's process (Node, tsx, the pack's modules) and its handshake take seconds, which overlap the
 * program run. A failure of either fails the whole as soon as it happens (a bad policy config does
 * not wait for the program); a pack that started is then stopped, never left running.
 */
export async function openJudgeDuring<T>(options: JudgeOptions | undefined, work: () => Promise<T>): Promise<{ judge: PolicyJudge | undefined; result: T }> {
    const opening = options ? PolicyJudge.open(options) : Promise.resolve(undefined);
    const working = work();
    // Both are awaited below; a rejection of the one not awaited first is not unhandled.
    opening.catch(() => undefined);
    working.catch(() => undefined);
    try {
        const [judge, result] = await Promise.all([opening, working]);
        return { judge, result };
    } catch (err) {
        await opening.then(
            (judge) => judge?.close(),
            () => undefined,
        );
        throw err;
    }
}

/**
 * The policy config a stack is judged with: `--policy-config`, else the stack's own
 * `<packDir>/config/<stack>.json`. A stack without one is refused: its guardrails would otherwise
 * silently fall back to the pack's advisory defaults.
 */
export function readPolicyConfig(options: JudgeOptions): { document: unknown; source: string } {
    const configPath = options.policyConfig ? path.resolve(options.policyConfig) : path.join(options.packDir, "config", `${options.stack}.json`);
    const source = path.relative(process.cwd(), configPath) || configPath;
    if (!fs.existsSync(configPath)) {
        throw new PolicyConfigError([
            options.policyConfig
                ? `${configPath}: no such policy config file`
                : `no policy config for stack ${options.stack} (${source}); create it (npm run new-env does) or pass --policy-config`,
        ]);
    }
    try {
        return { document: JSON.parse(fs.readFileSync(configPath, "utf8")), source };
    } catch (err) {
        throw new PolicyConfigError([`${source}: not valid JSON (${(err as Error).message})`]);
    }
}

/** Judges one recorded program with the pack. */
export async function judgeRun(run: ProgramRun, options: JudgeOptions): Promise<PolicySection> {
    const judge = await PolicyJudge.open(options);
    try {
        return await judge.judge(run);
    } finally {
        judge.close();
    }
}
