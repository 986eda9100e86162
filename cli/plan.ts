/**
 * `npm run plan -- [--stack <name>] [--config-file <path>] [--json <file>]`
 *
 * Runs the blueprint (or another Pulumi TypeScript program) under the Pulumi SDK's mock engine,
 * with no cloud account, and reports what `pulumi up` would register.
 * Exit codes: 0 planned, 1 bad input or program error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { ConfigError, parseStackConfig, readStackFile, toPulumiConfigMap } from "../config/loader";
import { OFFLINE_ACCOUNT_ID, partitionOf } from "./engine/mock-state";
import { readProject, stackConfigPath } from "./engine/project";
import { ProgramError, runProgram } from "./engine/run-program";
import { planDocument, serializePlan } from "./report/plan-document";
import { renderSummary } from "./report/summary";

const BLUEPRINT_DIR = path.resolve(__dirname, "..");

interface PlanOptions {
    stack: string;
    configFile?: string;
    json?: string;
}

/** Thrown for bad command-line input: printed as one line, exit 1. */
class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
    const program = new Command("plan")
        .description("Offline plan: run the program under Pulumi's mock engine, with no AWS account, and report what it would deploy.")
        .option("-s, --stack <name>", "stack whose stacks/Pulumi.<name>.yaml to plan", "dev")
        .option("-c, --config-file <path>", "plan with this stack configuration file instead")
        .option("--json <file>", "also write the plan as JSON to this file")
        .addHelpText(
            "after",
            "\nExit codes: 0 planned; 1 invalid configuration, bad arguments or a program error.\nThe plan is deterministic: two runs of the same stack give byte-identical JSON.",
        )
        .showHelpAfterError()
        .exitOverride();
    try {
        program.parse(argv, { from: "user" });
    } catch (err) {
        const code = (err as { exitCode?: number }).exitCode;
        return code === 0 ? 0 : 1;
    }
    const options = program.opts<PlanOptions>();

    try {
        const project = readProject(BLUEPRINT_DIR);
        const configFile = options.configFile ? path.resolve(options.configFile) : stackConfigPath(project, options.stack);
        const rawConfig = readStackFile(configFile);
        const relativeFile = configFile.startsWith(process.cwd()) ? path.relative(process.cwd(), configFile) : configFile;
        let config: ReturnType<typeof parseStackConfig>;
        try {
            config = parseStackConfig(rawConfig);
        } catch (err) {
            if (err instanceof ConfigError) throw new ConfigError(err.lines.map((line) => `${relativeFile}: ${line}`));
            throw err;
        }

        const target = { accountId: OFFLINE_ACCOUNT_ID, region: config.region, partition: partitionOf(config.region) };
        const run = await runProgram({
            programDir: project.dir,
            main: project.main,
            project: project.name,
            stack: options.stack,
            config: toPulumiConfigMap(rawConfig),
            target,
        });
        const doc = planDocument(run);
        process.stdout.write(`${renderSummary(doc, { region: config.region, accountId: target.accountId })}\n`);
        if (options.json) {
            fs.writeFileSync(options.json, serializePlan(doc));
            process.stdout.write(`\nPlan written to ${options.json}\n`);
        }
        return 0;
    } catch (err) {
        return reportFailure(err);
    }
}

function reportFailure(err: unknown): number {
    if (err instanceof ConfigError) {
        for (const line of err.lines) process.stderr.write(`error: ${line}\n`);
    } else if (err instanceof ProgramError || err instanceof UsageError) {
        process.stderr.write(`error: ${err.message}\n`);
    } else if (err instanceof Error) {
        process.stderr.write(`error: ${err.message}\n`);
    } else {
        process.stderr.write(`error: ${String(err)}\n`);
    }
    return 1;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => process.exit(reportFailure(err)),
);
