import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, parseStackConfig, readStackFile, toPulumiConfigMap } from "../../config/loader";
import { accountOfArn } from "../../config/primitives";
import { type MockTarget, OFFLINE_ACCOUNT_ID, partitionOf } from "./mock-state";
import { readProject, stackConfigPath } from "./project";
import { type PlanMode, type ProgramRun, type RunProgramOptions, runProgram } from "./run-program";

/** The blueprint's own directory (its Pulumi.yaml, index.ts and stacks/). */
export const BLUEPRINT_DIR = path.resolve(__dirname, "../..");
/** Region assumed for another team's program whose stack sets none. */
const DEFAULT_REGION = "us-east-1";

/** What to plan: a stack of the blueprint (or of another program), optionally from a given config file. */
export interface PlanRequest {
    stack: string;
    configFile?: string;
    /** Directory of another team's Pulumi TypeScript program. */
    program?: string;
    /** Region for another team's program whose stack sets none (or that has no stack file). */
    region?: string;
    /** Run as `pulumi preview` does, computed outputs unknown (default `up`). */
    mode?: PlanMode;
    /** Called with each resource as it is registered (see {@link RunProgramOptions.onRecorded}). */
    onRecorded?: RunProgramOptions["onRecorded"];
}

/** A planned program, with the Region and simulated account it was planned into. */
export interface PlannedRun {
    run: ProgramRun;
    region: string;
    accountId: string;
}

/**
 * Validates the stack's configuration (the blueprint's own, by its schema, before anything runs)
 * and runs the program under the offline mock engine. Runs once per process.
 */
export async function planStack(request: PlanRequest): Promise<PlannedRun> {
    const { project, rawConfig, region } = checkStack(request);
    const target = stackTarget(rawConfig, region);
    const run = await runProgram({
        programDir: project.dir,
        main: project.main,
        project: project.name,
        stack: request.stack,
        config: toPulumiConfigMap(rawConfig),
        target,
        mode: request.mode,
        onRecorded: request.onRecorded,
    });
    return { run, region, accountId: target.accountId };
}

/**
 * Reads and validates what would be planned, without running anything: the blueprint's stack by
 * its schema, and that the stack's name is its `lakehouse:environment`. Throws a ConfigError
 * with one line per problem.
 */
export function checkStack(request: PlanRequest): { project: ReturnType<typeof readProject>; rawConfig: Record<string, unknown>; region: string } {
    const programDir = request.program ? path.resolve(request.program) : BLUEPRINT_DIR;
    const project = readProject(programDir);
    if (request.program) {
        try {
            require.resolve("@pulumi/pulumi", { paths: [programDir] });
        } catch {
            throw new ConfigError([`${request.program}: @pulumi/pulumi is not installed for this program; run npm install (or npm ci) in ${request.program} first`]);
        }
    }
    const configFile = request.configFile ? path.resolve(request.configFile) : stackConfigPath(project, request.stack);
    // Another team's program may have no stack file yet: it is planned with no config but a Region.
    const rawConfig = request.program && !request.configFile && !fs.existsSync(configFile) ? {} : readStackFile(configFile);
    const shown = configFile.startsWith(process.cwd()) ? path.relative(process.cwd(), configFile) : configFile;

    // Another team's program validates its own configuration.
    let region = typeof rawConfig["aws:region"] === "string" ? (rawConfig["aws:region"] as string) : (request.region ?? DEFAULT_REGION);
    if (request.program && typeof rawConfig["aws:region"] !== "string") rawConfig["aws:region"] = region;
    if (!request.program) {
        let environment: string;
        try {
            ({ region, environment } = parseStackConfig(rawConfig));
        } catch (err) {
            if (err instanceof ConfigError) throw new ConfigError(err.lines.map((line) => `${shown}: ${line}`));
            throw err;
        }
        // Every name derives from the environment: a copied stack that kept its source's name would
        // plan (and deploy) over the other environment's resources.
        if (environment !== request.stack) {
            throw new ConfigError([
                `${shown}: lakehouse:environment is "${environment}" but the stack is "${request.stack}"; set lakehouse:environment: ${request.stack}, or its resources would collide with ${environment}'s`,
            ]);
        }
    }
    return { project, rawConfig, region };
}

/**
 * Where and as whom a stack is planned: the blueprint's stack runs as its deployer role, in that
 * role's account, as `pulumi up` must (the platform refuses any other runner); another program
 * runs as `role/offline-plan` of the offline account.
 */
export function stackTarget(rawConfig: Record<string, unknown>, region: string): MockTarget {
    const deployer = deployerRoleOf(rawConfig);
    const account = deployer ? accountOfArn(deployer) : undefined;
    return { accountId: account ?? OFFLINE_ACCOUNT_ID, region, partition: partitionOf(region), ...(deployer ? { runnerRoleArn: deployer } : {}) };
}

/** The stack's `lakehouse:governance.deployerRoleArn`, when it names one. */
function deployerRoleOf(rawConfig: Record<string, unknown>): string | undefined {
    const governance = rawConfig["lakehouse:governance"] as { deployerRoleArn?: unknown } | undefined;
    return typeof governance?.deployerRoleArn === "string" ? governance.deployerRoleArn : undefined;
}
