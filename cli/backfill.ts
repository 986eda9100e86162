/**
 * `npm run backfill -- --stack <s> --domain <d> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--dry-run]`
 *
 * Reprocesses a range of arrival days of one domain by starting the stack's backfill state machine
 * (components/orchestration/backfill.ts). Offline with --dry-run: validates the request against
 * the stack file and prints what would start and what it would cost. Exit codes: 0 started (or
 * planned), 1 error (bad input, no credentials, API error).
 */
import * as path from "node:path";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { Command } from "commander";
import { parseArgs } from "./lib/args";
import { callerAccount, ensureCredentials, oneLine, UserError } from "./lib/aws";
import { exitWhenFlushed } from "./lib/exit";
import { partitionOf } from "./engine/mock-state";
import { ConfigError, type PlatformConfig, parseStackConfig, readStackFile } from "../config/loader";
import { averageIntervalSeconds } from "../config/freshness";
import { backfillDpuHours, glueEtlPriceKey, glueJobDpu } from "../cost/glue";
import { effectivePrice } from "../cost/prices";
import { backfillStateMachineName, etlJobName, namePrefix } from "../lib/naming";

const ROOT = path.resolve(__dirname, "..");
/** The job refuses longer ranges (raw_to_curated.py, MAX_BACKFILL_DAYS). */
export const MAX_BACKFILL_DAYS = 366;
const DAY_MS = 86_400_000;

interface BackfillOptions {
    stack: string;
    domain: string;
    from: string;
    to: string;
    dryRun?: boolean;
    region?: string;
    accountId?: string;
    configFile?: string;
    endpoint?: string;
    stsEndpoint?: string;
}

/** What a backfill request resolves to. */
export interface BackfillPlan {
    stack: string;
    domain: string;
    from: string;
    to: string;
    days: number;
    region: string;
    stateMachineName: string;
    jobName: string;
    /** The execution input the state machine reads. */
    input: { domain: string; from: string; to: string };
    /** Upper bound of the backfill's Glue cost, or why it cannot be estimated. */
    estimate: { dpuHours: number; usd: number; priceKey: string; priceRegion: string } | { unknown: string };
    /** When the warehouse gets the range. */
    schedule: string;
}

/**
 * Storage classes a Glue job cannot read until the object is restored: an ETL job reading them fails
 * (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-storage-classes.html).
 * Glacier Instant Retrieval and Intelligent-Tiering's automatic tiers are read like Standard.
 */
const UNREADABLE_BY_GLUE = ["GLACIER", "DEEP_ARCHIVE"];

/** The first lifecycle transition of the raw zone to a class Glue cannot read, if any. */
function unreadableTransition(transitions: { days: number; storageClass: string }[]): { days: number; storageClass: string } | undefined {
    return transitions.filter((t) => UNREADABLE_BY_GLUE.includes(t.storageClass)).sort((a, b) => a.days - b.days)[0];
}

/** A calendar date written YYYY-MM-DD, as UTC midnight; undefined when it is not one. */
function parseDay(text: string): Date | undefined {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
    const day = new Date(`${text}T00:00:00Z`);
    return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text ? undefined : day;
}

/**
 * Validates a backfill request against the stack's configuration and resolves it, or throws a
 * UserError with one line per problem (each naming the option, the value and what is allowed).
 */
export function planBackfill(stack: string, config: PlatformConfig, request: { domain: string; from: string; to: string }, today: Date): BackfillPlan {
    const problems: string[] = [];
    const domains = config.domains.map((d) => d.name);
    if (!domains.includes(request.domain)) problems.push(`--domain ${request.domain}: expected one of the stack's domains: ${domains.join(", ")}`);
    const from = parseDay(request.from);
    const to = parseDay(request.to);
    if (!from) problems.push(`--from ${request.from}: expected a calendar date written YYYY-MM-DD`);
    if (!to) problems.push(`--to ${request.to}: expected a calendar date written YYYY-MM-DD`);
    const todayUtc = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    if (to && to > todayUtc) problems.push(`--to ${request.to}: expected no later than today (${todayUtc.toISOString().slice(0, 10)}, UTC)`);
    let days = 0;
    if (from && to) {
        days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
        if (from > to) problems.push(`--from ${request.from}: expected no later than --to ${request.to}`);
        else if (days > MAX_BACKFILL_DAYS) problems.push(`--from ${request.from} --to ${request.to}: ${days} days; expected at most ${MAX_BACKFILL_DAYS}, split the range`);
        const kept = config.lake.raw.expirationDays;
        const archived = unreadableTransition(config.lake.raw.transitions);
        if (kept !== undefined && from.getTime() < todayUtc.getTime() - kept * DAY_MS) {
            problems.push(`--from ${request.from}: the raw zone keeps ${kept} days (lakehouse:lake.raw.expirationDays), so data before ${new Date(todayUtc.getTime() - kept * DAY_MS).toISOString().slice(0, 10)} is gone`);
        } else if (archived && from.getTime() < todayUtc.getTime() - (archived.days - 1) * DAY_MS) {
            // S3 moves an object at the first UTC midnight after creation + N days, and the run may
            // start hours from now (it waits for pending loads and the regular run): a day of margin.
            // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
            const first = new Date(todayUtc.getTime() - (archived.days - 1) * DAY_MS).toISOString().slice(0, 10);
            problems.push(
                `--from ${request.from}: the raw zone moves objects to ${archived.storageClass} after ${archived.days} days (lakehouse:lake.raw.transitions), which Glue cannot read without a restore, so data before ${first} is unreadable; restore those objects first (S3 RestoreObject) or start at ${first}`,
            );
        }
    }
    if (problems.length) throw new UserError(problems.join("\n"));

    const prefix = namePrefix(config.environment);
    const glue = config.glue;
    const priceRegion = config.cost.priceRegion ?? config.region;
    const priceKey = glueEtlPriceKey(glue.executionClass);
    const price = effectivePrice(priceRegion, priceKey, config.cost.priceOverlay);
    const interval = averageIntervalSeconds(config.orchestration.schedule);
    const minutes = config.cost.usage.glueJobMinutesPerRun;
    let estimate: BackfillPlan["estimate"];
    if (minutes === undefined) estimate = { unknown: "set lakehouse:cost.usage.glueJobMinutesPerRun to estimate it" };
    else if (!price) estimate = { unknown: `no ${priceKey} price for ${priceRegion}; set lakehouse:cost.priceRegion or a price file` };
    else if (!interval) estimate = { unknown: "the load schedule has no steady interval to pace it by" };
    else {
        const dpuHours = backfillDpuHours(days, glueJobDpu(glue.workerType, config.sizes.glueJobs[request.domain]?.maxWorkers ?? glue.numberOfWorkers), 86_400 / interval, minutes);
        estimate = { dpuHours, usd: Math.round(dpuHours * price.usd * 100) / 100, priceKey, priceRegion };
    }
    return {
        stack,
        domain: request.domain,
        from: request.from,
        to: request.to,
        days,
        region: config.region,
        stateMachineName: backfillStateMachineName(prefix),
        jobName: etlJobName(prefix, request.domain),
        input: { domain: request.domain, from: request.from, to: request.to },
        estimate,
        schedule: config.orchestration.schedule,
    };
}

/** The execution's name: readable, unique per start, within Step Functions' 80 characters. */
export function executionName(plan: BackfillPlan, now: Date): string {
    const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    return `${plan.domain}-${plan.from}-${plan.to}-${stamp}`.slice(0, 80);
}

/** What the plan says, for a person. */
export function renderPlan(plan: BackfillPlan, stateMachineArn: string): string {
    const cost =
        "unknown" in plan.estimate
            ? `unknown: ${plan.estimate.unknown}`
            : `up to ${Math.round(plan.estimate.dpuHours * 10) / 10} DPU-hours, $${plan.estimate.usd.toFixed(2)} (${plan.estimate.priceKey} at ${plan.estimate.priceRegion} list price), at the regular runs' pace`;
    return [
        `Backfill of ${plan.domain} in ${plan.stack}: arrival days ${plan.from} to ${plan.to} (${plan.days} day${plan.days === 1 ? "" : "s"})`,
        `  state machine  ${plan.stateMachineName} (${stateMachineArn})`,
        `  input          ${JSON.stringify(plan.input)}`,
        `  job            ${plan.jobName}, bookmarks disabled for this run; the range's curated partitions are deleted and written again`,
        `  warehouse      the next scheduled load (${plan.schedule}) loads the range; of two versions of a row the later event wins`,
        `  estimate       ${cost}`,
    ].join("\n");
}

const HELP = `
Idempotent: a backfill deletes the range's curated partitions and writes them again, so starting
the same range twice leaves the same data. It waits while the domain's regular run holds the job,
and the regular runs' job bookmark is never touched.

Permissions to start it: states:StartExecution on the backfill state machine, and
kms:GenerateDataKey on the operations key (the state machine's data is encrypted with it).

Exit codes: 0 started (or planned with --dry-run); 1 error (bad input, no credentials, API error).`;

async function main(argv: string[]): Promise<number> {
    const program = new Command("backfill")
        .description("Reprocess a range of arrival days of one domain, raw to curated, and let the next load bring it to the warehouse.")
        .requiredOption("-s, --stack <name>", "stack whose stacks/Pulumi.<name>.yaml describes the environment")
        .requiredOption("-d, --domain <name>", "domain to reprocess")
        .requiredOption("--from <date>", "first arrival day, YYYY-MM-DD (UTC)")
        .requiredOption("--to <date>", "last arrival day, YYYY-MM-DD (UTC), included")
        .option("--dry-run", "validate and print what would start and its cost; call nothing")
        .option("-r, --region <region>", "AWS Region (default: the stack's aws:region)")
        .option("--account-id <id>", "account of the stack (default: the credentials' account, from STS)")
        .option("--config-file <path>", "read this stack configuration file instead")
        .option("--endpoint <url>", "Step Functions endpoint override (e.g. a VPC endpoint)")
        .option("--sts-endpoint <url>", "STS endpoint override, for the account lookup")
        .addHelpText("after", HELP)
        .showHelpAfterError()
        .exitOverride();
    const parsed = parseArgs<BackfillOptions>(program, argv);
    if ("exitCode" in parsed) return parsed.exitCode;
    const { options } = parsed;

    try {
        const file = options.configFile ? path.resolve(options.configFile) : path.join(ROOT, "stacks", `Pulumi.${options.stack}.yaml`);
        const config = parseStackConfig(readStackFile(file));
        if (options.accountId !== undefined && !/^\d{12}$/.test(options.accountId)) throw new UserError(`--account-id ${options.accountId}: expected 12 digits`);
        const plan = planBackfill(options.stack, config, options, new Date());
        const region = options.region ?? plan.region;
        const arnOf = (account: string) => `arn:${partitionOf(region)}:states:${region}:${account}:stateMachine:${plan.stateMachineName}`;

        if (options.dryRun) {
            process.stdout.write(`${renderPlan(plan, arnOf(options.accountId ?? "<account>"))}\nDry run: nothing was started.\n`);
            return 0;
        }
        const client = new SFNClient({ region, maxAttempts: 5, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
        await ensureCredentials(client);
        const account = options.accountId ?? (await callerAccount(region, options.stsEndpoint));
        const stateMachineArn = arnOf(account);
        process.stdout.write(`${renderPlan(plan, stateMachineArn)}\n`);
        const started = await client.send(new StartExecutionCommand({ stateMachineArn, name: executionName(plan, new Date()), input: JSON.stringify(plan.input) }));
        process.stdout.write(`Started ${started.executionArn}\nFollow it: aws stepfunctions describe-execution --execution-arn ${started.executionArn}\n`);
        return 0;
    } catch (err) {
        if (err instanceof ConfigError) for (const line of err.lines) process.stderr.write(`error: ${line}\n`);
        else if (err instanceof UserError) for (const line of err.message.split("\n")) process.stderr.write(`error: ${line}\n`);
        else process.stderr.write(`error: ${oneLine(err)}\n`);
        return 1;
    }
}

if (require.main === module) main(process.argv.slice(2)).then(exitWhenFlushed);
