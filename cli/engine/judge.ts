import * as fs from "node:fs";
import * as path from "node:path";
import { policySection, type PolicySection } from "../report/policy-report";
import type { PackProcess } from "./pack-process";
import { REMEDIABLE_TYPES } from "../../policies/remediable-types";
import { type AnalysisOptions, type EnforcementLevel, type PackAnalysis, PolicyConfigError, type PolicyEvaluation, PolicyPackServer, resolvePolicyConfig } from "./policy-analyzer";

/** The blueprint's own policy pack, whose remediable types are known (policies/remediable-types.ts). */
const BLUEPRINT_PACK_DIR = path.resolve(__dirname, "..", "..", "policies");
import type { ProgramRun, RecordedResource } from "./run-program";

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
 * for its policies, configured with levels and parameters. `analyze` sends one resource as it is
 * registered (the engine's resource policies, per step); `judge` Analyzes every resource not sent
 * yet and AnalyzeStacks the whole. Shared by the plan command and the tests.
 */
export class PolicyJudge {
    private analysis: PackAnalysis | undefined;

    private constructor(
        private readonly server: PolicyPackServer,
        private readonly info: { name: string; version: string; policies: PolicyEvaluation["policies"] },
        private readonly levels: Record<string, { level: EnforcementLevel; params: Record<string, unknown> }>,
        private readonly source: string,
        private readonly notices: string[],
        private readonly ownPack: boolean,
    ) {}

    /** Starts the pack (or connects to `pack`, already started from `options.packDir`) and configures it. */
    static async open(options: JudgeOptions, pack?: PackProcess): Promise<PolicyJudge> {
        let document: unknown;
        let source: string;
        try {
            ({ document, source } = readPolicyConfig(options));
        } catch (err) {
            pack?.stop();
            throw err;
        }
        const server = await (pack ? PolicyPackServer.connect(pack) : PolicyPackServer.start(options.packDir));
        try {
            const info = await server.info();
            const notices: string[] = [];
            const levels = resolvePolicyConfig(document, info.policies, source, notices);
            await server.configure(levels);
            return new PolicyJudge(server, info, levels, source, notices, path.resolve(options.packDir) === BLUEPRINT_PACK_DIR);
        } catch (err) {
            server.close();
            throw err;
        }
    }

    /** Sends one registered resource to the resource policies now, rather than at `judge`. */
    analyze(resource: RecordedResource, wire: ProgramRun["wire"]): void {
        this.analysis ??= this.server.analysis(this.analysisOptions());
        this.analysis.add(resource, wire);
    }

    /** Every resource policy's findings (those `analyze` sent included) and the stack policies'. */
    async judge(run: ProgramRun): Promise<PolicySection> {
        const analysis = this.analysis ?? this.server.analysis(this.analysisOptions());
        this.analysis = undefined;
        const diagnostics = await analysis.finish(run);
        return policySection({ pack: `${this.info.name}@${this.info.version}`, policies: this.info.policies, diagnostics }, this.levels, this.source, this.notices);
    }

    close(): void {
        this.server.close();
    }

    private remediates(): boolean {
        return Object.values(this.levels).some((p) => p.level === "remediate");
    }

    /** Remediate for the types the blueprint's own pack fixes; for another pack, every type. */
    private analysisOptions(): AnalysisOptions {
        return { remediate: this.remediates(), remediableTypes: this.ownPack ? REMEDIABLE_TYPES : undefined };
    }
}

/** Called with each resource the program registers, with the run's wire form as it stands. */
export type OnRecorded = (resource: RecordedResource, wire: ProgramRun["wire"]) => void;

/**
 * Opens the pack (`options`; none: no pack; `pack`: its process, already started) while `work`
 * runs, instead of before it: starting the pack's process (Node, tsx, the pack's modules) and its
 * handshake take seconds, which overlap the program run. `work` is handed an {@link OnRecorded} to
 * call with each resource it records: once the pack is ready each goes to its resource policies
 * at once (those recorded before wait until then), so the pack judges while the program runs, as
 * the engine runs resource policies per step. A failure of either fails the whole as soon as it
 * happens (a bad policy config does not wait for the program); a pack that started is then
 * stopped, never left running.
 */
export async function openJudgeDuring<T>(
    options: JudgeOptions | undefined,
    work: (onRecorded: OnRecorded) => Promise<T>,
    pack?: PackProcess,
): Promise<{ judge: PolicyJudge | undefined; result: T }> {
    const opening = options ? PolicyJudge.open(options, pack) : Promise.resolve(undefined);
    let ready: PolicyJudge | undefined;
    const early: Array<Parameters<OnRecorded>> = [];
    opening.then(
        (judge) => {
            ready = judge;
            for (const [resource, wire] of early.splice(0)) judge?.analyze(resource, wire);
        },
        () => undefined,
    );
    const onRecorded: OnRecorded = (resource, wire) => {
        if (ready) ready.analyze(resource, wire);
        else if (options) early.push([resource, wire]);
    };
    const working = work(onRecorded);
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
