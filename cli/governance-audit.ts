/**
 * `npm run governance:audit -- --stack <name> [--region <r>] [--account-id <id>] [--json <file>]`
 *
 * Compares the live Lake Formation state of an account with what the blueprint declares for the
 * stack. Exit codes: 0 no drift, 3 drift found, 1 error (bad input, no credentials or Region, API error).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LakeFormationClient } from "@aws-sdk/client-lakeformation";
import Table from "cli-table3";
import { Command } from "commander";
import { parseArgs } from "./lib/args";
import { callerAccount, ensureCredentials, oneLine, UserError } from "./lib/aws";
import { exitWhenFlushed } from "./lib/exit";
import { ConfigError, parseStackConfig, readStackFile } from "../config/loader";
import { expectedState, type Finding, findDrift } from "./governance/drift";
import { readLiveState } from "./governance/live";
import { partitionOf } from "./engine/mock-state";

const ROOT = path.resolve(__dirname, "..");

interface AuditOptions {
    stack: string;
    region?: string;
    accountId?: string;
    json?: string;
    endpoint?: string;
    stsEndpoint?: string;
    configFile?: string;
}


const HELP = `
What it reads (through the standard AWS credential chain and Region):
  GetDataLakeSettings, ListPermissions (all pages), ListLFTags, GetResourceLFTags for every lake
  database, and ListResources. Throttled calls are retried by the SDK.

What it reports, one line per finding:
  missing-grant            a declared grant (persona, service role, location, PII filter) is absent
  unexpected-grant         a grant on the lake made outside the blueprint, or made grantable
  iam-allowed-principals   IAM_ALLOWED_PRINCIPALS holds a permission on a lake database or table,
                           or in the default permissions of new databases and tables
  administrator-drift      administrators added or removed outside the blueprint
  lf-tag-values            LF-Tag values missing or added
  lf-tag-assignment        a lake database carries other tag values than declared
  unregistered-location    a lake zone is not registered, or not with the dedicated role

Region: --region, else AWS_REGION / AWS_DEFAULT_REGION, else the stack's aws:region.
Account: --account-id, else the account of the credentials in use (STS GetCallerIdentity).

Exit codes: 0 no drift; 3 drift found; 1 error (bad arguments, no credentials or Region, API error).

Scheduled in CI (see README, "Governance drift audit"): run it daily with read-only credentials
and --json drift.json; a non-zero exit fails the job and the JSON is kept as an artifact.`;

async function main(argv: string[]): Promise<number> {
    const program = new Command("governance:audit")
        .description("Lake Formation drift audit: compare the live account with the blueprint's declared governance for a stack.")
        .requiredOption("-s, --stack <name>", "stack whose stacks/Pulumi.<name>.yaml declares the governance")
        .option("-r, --region <region>", "AWS Region to audit")
        .option("--account-id <id>", "account that holds the lake (12 digits)")
        .option("--json <file>", "also write the findings as JSON to this file")
        .option("--config-file <path>", "read this stack configuration file instead")
        .option("--endpoint <url>", "Lake Formation endpoint override (e.g. a VPC endpoint)")
        .option("--sts-endpoint <url>", "STS endpoint override, for the account lookup (e.g. a VPC endpoint)")
        .addHelpText("after", HELP)
        .showHelpAfterError()
        .exitOverride();
    const parsed = parseArgs<AuditOptions>(program, argv);
    if ("exitCode" in parsed) return parsed.exitCode;
    const { options } = parsed;

    try {
        const file = options.configFile ? path.resolve(options.configFile) : path.join(ROOT, "stacks", `Pulumi.${options.stack}.yaml`);
        const config = parseStackConfig(readStackFile(file));
        const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? config.region;
        if (!region) throw new UserError("no AWS Region: pass --region or set AWS_REGION");
        if (options.accountId !== undefined && !/^\d{12}$/.test(options.accountId)) throw new UserError(`--account-id ${options.accountId}: expected 12 digits`);

        const client = new LakeFormationClient({ region, maxAttempts: 5, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
        await ensureCredentials(client);
        // The account is the one the credentials act in, not a guess from the config.
        const accountId = options.accountId ?? (await callerAccount(region, options.stsEndpoint));

        const expected = expectedState(config, { accountId, region, partition: partitionOf(region) });
        const live = await readLiveState(client, expected.databases, [...new Set([...Object.keys(expected.tableTags), ...Object.keys(expected.columnTags)])]);
        const findings = findDrift(expected, live).sort((a, b) => a.kind.localeCompare(b.kind) || a.subject.localeCompare(b.subject) || a.detail.localeCompare(b.detail));

        process.stdout.write(`${render(findings, options.stack, region, accountId)}\n`);
        if (options.json) {
            fs.writeFileSync(options.json, `${JSON.stringify({ stack: options.stack, region, accountId, findings, summary: summarise(findings) }, null, 2)}\n`);
        }
        return findings.length > 0 ? 3 : 0;
    } catch (err) {
        if (err instanceof ConfigError) {
            for (const line of err.lines) process.stderr.write(`error: ${line}\n`);
        } else {
            process.stderr.write(`error: ${oneLine(err)}\n`);
        }
        return 1;
    }
}

function summarise(findings: Finding[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    return counts;
}

function render(findings: Finding[], stack: string, region: string, accountId: string): string {
    if (findings.length === 0) return `Lake Formation of ${stack} (${accountId}, ${region}): no drift.`;
    const table = new Table({ head: ["Finding", "Subject", "Detail"], style: { head: [], border: [], compact: true }, colWidths: [24, 50, 70], wordWrap: true });
    for (const f of findings) table.push([f.kind, f.subject, f.detail]);
    return [`Lake Formation of ${stack} (${accountId}, ${region}): ${findings.length} findings`, table.toString()].join("\n");
}

main(process.argv.slice(2)).then(exitWhenFlushed);
