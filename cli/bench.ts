/**
 * `npm run bench -- [--stack <name>] [--runs <n>] [--resources <n>]`
 *
 * How much the offline plan costs over the Pulumi SDK alone: times the plan of a stack (program,
 * policy pack, cost, verifier, report; exactly `npm run plan -- --stack <name>`) against a
 * generated program that registers as many plain resources with the SDK's mocks, each in a fresh
 * process started the same way (Node under tsx). The runs are paired (plan and baseline back to
 * back, their order alternating so a change in the machine's load hits both alike) and the
 * medians compared. Prints each pair and the ratio of the medians.
 * Exit codes: 0 measured, 1 bad arguments or a run that failed.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { parseArgs } from "./lib/args";
import { runCommand } from "./lib/exit";

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");

/** What to measure. */
export interface BenchOptions {
    stack: string;
    /** Measured pairs (after one unmeasured warm-up pair). */
    runs: number;
    /** Resources the baseline registers; default: as many as the stack's plan records. */
    resources?: number;
}

/** One measured pair, in milliseconds of wall-clock time. */
export interface Pair {
    plan: number;
    baseline: number;
}

/** The medians of the pairs and how they compare. */
export interface BenchSummary {
    planMs: number;
    baselineMs: number;
    /** Median plan time over median baseline time. */
    ratio: number;
    /** Median of each pair's own ratio: a check on the ratio of medians under a changing load. */
    pairedRatio: number;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: number[]): number {
    if (values.length === 0) throw new Error("median of no values");
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Medians and ratios of the measured pairs. */
export function summarize(pairs: Pair[]): BenchSummary {
    const planMs = median(pairs.map((p) => p.plan));
    const baselineMs = median(pairs.map((p) => p.baseline));
    return { planMs, baselineMs, ratio: planMs / baselineMs, pairedRatio: median(pairs.map((p) => p.plan / p.baseline)) };
}

const positiveInteger = (value: string): number => {
    if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError(`got "${value}"; expected a whole number of at least 1`);
    return Number(value);
};

/** The bench's command line. */
export function benchCommand(): Command {
    return new Command("bench")
        .description("Time the offline plan of a stack against the bare Pulumi SDK registering as many resources (paired runs, medians).")
        .option("-s, --stack <name>", "stack to plan", "prod")
        .option("-r, --runs <n>", "measured pairs, after one warm-up pair", positiveInteger, 7)
        .option("--resources <n>", "resources the baseline registers (default: the stack's planned resource count)", positiveInteger)
        .showHelpAfterError()
        .exitOverride();
}

/**
 * The baseline: a program that registers `count` resources through the SDK's mocks, as the plan
 * counts them (the root stack, then `count - 1` custom resources of one plain type with a few
 * inputs), run and awaited as the plan runs a program (in a Pulumi stack, then until every
 * registration is answered). Prints how many registrations the mocks saw.
 */
export function baselineProgram(count: number, pulumiPath: string): string {
    return `const pulumi = require(${JSON.stringify(pulumiPath)});
let registered = 0;
pulumi.runtime.setMocks(
    {
        newResource: (args: any) => {
            registered++;
            return { id: \`\${args.name}-id\`, state: args.inputs };
        },
        call: (args: any) => args.inputs,
    },
    "bench",
    "bench",
    false,
);
pulumi.runtime
    .runInPulumiStack(async () => {
        for (let i = 1; i < ${count}; i++) {
            new pulumi.CustomResource("bench:index:Resource", \`resource-\${i}\`, { name: \`resource-\${i}\`, index: i, tags: { environment: "bench", owner: "bench" } });
        }
        return {};
    })
    .then(() => pulumi.runtime.waitForRPCs())
    .then(() => console.log(\`registered \${registered} resources\`));
`;
}

/** Runs `node tsx <args>` in the project and returns its wall-clock time in ms; rejects on an unexpected exit code. */
function timed(args: string[], okCodes: number[]): Promise<number> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(process.execPath, [TSX, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (chunk) => {
            stderr += String(chunk);
        });
        child.on("error", reject);
        child.on("exit", (code) => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            if (okCodes.includes(code ?? -1)) resolve(ms);
            else reject(new Error(`${args.join(" ")} exited with ${code}: ${stderr.trim().split("\n").pop()}`));
        });
    });
}

/** The number of resources the stack's plan records (one plan, written as JSON). */
async function plannedResourceCount(stack: string, dir: string): Promise<number> {
    const json = path.join(dir, `${stack}.json`);
    await timed(["cli/plan.ts", "--stack", stack, "--json", json], [0, 2]);
    return (JSON.parse(fs.readFileSync(json, "utf8")) as { resources: unknown[] }).resources.length;
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseArgs<BenchOptions>(benchCommand(), argv);
    if ("exitCode" in parsed) return parsed.exitCode;
    const { stack, runs } = parsed.options;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-bench-"));
    try {
        const resources = parsed.options.resources ?? (await plannedResourceCount(stack, dir));
        const baseline = path.join(dir, "baseline.ts");
        fs.writeFileSync(baseline, baselineProgram(resources, path.dirname(require.resolve("@pulumi/pulumi/package.json"))));
        // Exit 2 (mandatory findings) is a completed plan.
        const plan = () => timed(["cli/plan.ts", "--stack", stack], [0, 2]);
        const bare = () => timed([baseline], [0]);
        process.stdout.write(`Plan of ${stack} vs the bare SDK registering ${resources} resources: ${runs} pairs after a warm-up pair\n`);
        await plan();
        await bare();
        const pairs: Pair[] = [];
        for (let i = 0; i < runs; i++) {
            const pair: Pair = { plan: 0, baseline: 0 };
            // Alternate which goes first, so a drifting load is shared.
            if (i % 2 === 0) {
                pair.plan = await plan();
                pair.baseline = await bare();
            } else {
                pair.baseline = await bare();
                pair.plan = await plan();
            }
            pairs.push(pair);
            process.stdout.write(`  pair ${i + 1}: plan ${(pair.plan / 1000).toFixed(2)} s, baseline ${(pair.baseline / 1000).toFixed(2)} s (${(pair.plan / pair.baseline).toFixed(2)}x)\n`);
        }
        const summary = summarize(pairs);
        process.stdout.write(
            `median: plan ${(summary.planMs / 1000).toFixed(2)} s, baseline ${(summary.baselineMs / 1000).toFixed(2)} s\n` +
                `ratio: ${summary.ratio.toFixed(2)}x (median of paired ratios ${summary.pairedRatio.toFixed(2)}x)\n`,
        );
        return 0;
    } finally {
        // An error goes to runCommand, which reports it in one line and exits 1.
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) runCommand(main);
