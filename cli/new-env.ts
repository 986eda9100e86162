/**
 * `npm run new-env -- --name <env> --from <env> [--region <code>] [--cidr <cidr>]`
 *
 * Creates a new environment from an existing one: its stack file (`stacks/Pulumi.<env>.yaml`,
 * comments kept) with `lakehouse:environment`, the destroy confirmation and a VPC CIDR that
 * overlaps no other environment's, and its policy config (`policies/config/<env>.json`), so the
 * new environment is guarded exactly as the one it was copied from; regenerates the docs that list
 * every environment (policies/README.md, docs/runbooks.md). Prints the next steps.
 * Exit codes: 0 created, 1 bad arguments or a file that already exists.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { parseDocument } from "yaml";
import { regionInfo } from "../lib/regions";
import { excludedZoneIds, pinnedZoneIds } from "../lib/zones";
import { environmentNames, POLICY_CONFIG_DIR, policyConfigPath, STACKS_DIR, stackFilePath } from "../config/environments";
import { ConfigError, parseStackConfig, readStackFile } from "../config/loader";
import { ENVIRONMENT_ALLOWED, ENVIRONMENT_PATTERN } from "../config/schema";
import { type Cidr, firstFreeBlock, formatCidr, overlaps, parseCidr } from "../lib/cidr";
import { writeDocs } from "../policies/tools/render-docs";
import { writeRunbooks } from "./docs-runbooks";
import { parseArgs } from "./lib/args";
import { exitWhenFlushed } from "./lib/exit";

interface NewEnvOptions {
    name: string;
    from: string;
    region?: string;
    cidr?: string;
    stacksDir: string;
    policyConfigDir: string;
}

/** Where new environments' VPCs are carved from when no CIDR is given. */
const POOL = parseCidr("10.0.0.0/8")!;

class UsageError extends Error {}

/** Creates the environment's files; returns the lines to print. */
export function createEnvironment(options: NewEnvOptions): string[] {
    if (!ENVIRONMENT_PATTERN.test(options.name)) throw new UsageError(`--name ${options.name}: ${ENVIRONMENT_ALLOWED}`);
    const existing = environmentNames(options.stacksDir);
    if (!existing.includes(options.from)) throw new UsageError(`--from ${options.from}: no such environment; expected one of: ${existing.join(", ")}`);
    const stackFile = stackFilePath(options.name, options.stacksDir);
    const policyFile = policyConfigPath(options.name, options.policyConfigDir);
    for (const file of [stackFile, policyFile]) if (fs.existsSync(file)) throw new UsageError(`${path.relative(process.cwd(), file)} already exists; remove it or choose another --name`);
    const sourcePolicy = policyConfigPath(options.from, options.policyConfigDir);
    if (!fs.existsSync(sourcePolicy)) throw new UsageError(`--from ${options.from}: it has no policy config (${path.relative(process.cwd(), sourcePolicy)}) to copy`);

    const document = parseDocument(fs.readFileSync(stackFilePath(options.from, options.stacksDir), "utf8"));
    const taken = existing
        .map((env) => readStackFile(stackFilePath(env, options.stacksDir))["lakehouse:network"])
        .map((network) => parseCidr(String((network as { vpcCidr?: unknown } | undefined)?.vpcCidr ?? "")))
        .filter((c): c is Cidr => !!c);
    const sourceCidr = parseCidr(String(document.getIn(["config", "lakehouse:network", "vpcCidr"]) ?? ""));
    let cidr: Cidr | undefined;
    if (options.cidr) {
        cidr = parseCidr(options.cidr);
        if (!cidr) throw new UsageError(`--cidr ${options.cidr}: expected an IPv4 CIDR such as 10.50.0.0/20`);
        const clash = taken.find((t) => overlaps(t, cidr!));
        if (clash) throw new UsageError(`--cidr ${options.cidr}: overlaps ${formatCidr(clash)} of another environment; pick a free block`);
    } else {
        cidr = firstFreeBlock(POOL, sourceCidr?.prefix ?? 20, taken);
        if (!cidr) throw new UsageError("no free block of that size is left in 10.0.0.0/8; pass --cidr");
    }

    document.setIn(["config", "lakehouse:environment"], options.name);
    document.setIn(["config", "lakehouse:network", "vpcCidr"], formatCidr(cidr));
    if (document.hasIn(["config", "lakehouse:protection", "destroyConfirmation"])) document.setIn(["config", "lakehouse:protection", "destroyConfirmation"], options.name);
    if (options.region) document.setIn(["config", "aws:region"], options.region);
    // Zone ids belong to the source's Region: the new environment gets its Region's own, pinned now.
    const region = regionInfo(String(document.getIn(["config", "aws:region"]) ?? ""));
    if (region && document.hasIn(["config", "lakehouse:network", "availabilityZoneIds"])) {
        const azCount = Number(document.getIn(["config", "lakehouse:network", "azCount"]));
        const mskMode = String(document.getIn(["config", "lakehouse:streaming", "msk", "mode"]) ?? "none");
        try {
            const ids = document.createNode(pinnedZoneIds(region.azIds, azCount, excludedZoneIds(mskMode)));
            ids.flow = true;
            document.setIn(["config", "lakehouse:network", "availabilityZoneIds"], ids);
        } catch {
            // An azCount the Region cannot give is reported by the validation below, on its key.
        }
    }
    document.commentBefore = ` Created by npm run new-env from ${options.from}; review owners, budget and administrators.${document.commentBefore ? `\n${document.commentBefore}` : ""}`;
    const text = document.toString();

    // The new stack must be valid before any file is written: nothing is half-done.
    try {
        parseStackConfig((parseDocument(text).toJS() as { config: Record<string, unknown> }).config);
    } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.lines.map((l) => `the new stack would be invalid: ${l}`).join("\n"));
        throw err;
    }
    fs.writeFileSync(stackFile, text);
    fs.copyFileSync(sourcePolicy, policyFile);
    // The generated docs that list every environment include the new one from now on: the policy
    // reference (each environment's levels) and the runbooks (each environment's thresholds). The
    // docs/environments.md's tables document the shipped environments only.
    if (options.policyConfigDir === POLICY_CONFIG_DIR && options.stacksDir === STACKS_DIR) {
        writeDocs();
        writeRunbooks();
    }
    const rel = (f: string) => path.relative(process.cwd(), f);
    return [
        `Created ${rel(stackFile)} (from ${options.from}; VPC ${formatCidr(cidr)}${options.region ? `, ${options.region}` : ""})`,
        `Created ${rel(policyFile)} (the guardrails of ${options.from})`,
        "",
        "Next steps:",
        `  1. Review ${rel(stackFile)}: owners, cost centre, budget, Lake Formation administrators and the deployer role.`,
        `  2. npm run plan -- --stack ${options.name}`,
        `  3. pulumi stack init ${options.name} && pulumi up --stack ${options.name} --policy-pack policies --policy-pack-config ${rel(policyFile)}`,
    ];
}

async function main(argv: string[]): Promise<number> {
    const program = new Command("new-env")
        .description("Create an environment from an existing one: its stack file and its policy config.")
        .requiredOption("--name <env>", "name of the new environment (and its stack)")
        .requiredOption("--from <env>", "environment to copy")
        .option("--region <code>", "AWS Region of the new environment (default: the copied one's)")
        .option("--cidr <cidr>", "VPC CIDR (default: the first free block of the copied one's size in 10.0.0.0/8)")
        .addHelpText("after", "\nExit codes: 0 created; 1 bad arguments, an invalid result or a file that already exists.")
        .showHelpAfterError()
        .exitOverride();
    const parsed = parseArgs<{ name: string; from: string; region?: string; cidr?: string }>(program, argv);
    if ("exitCode" in parsed) return parsed.exitCode;
    try {
        const lines = createEnvironment({ ...parsed.options, stacksDir: process.env.LAKEHOUSE_STACKS_DIR ?? STACKS_DIR, policyConfigDir: process.env.LAKEHOUSE_POLICY_CONFIG_DIR ?? POLICY_CONFIG_DIR });
        process.stdout.write(`${lines.join("\n")}\n`);
        return 0;
    } catch (err) {
        if (err instanceof UsageError || err instanceof ConfigError) {
            const lines = err instanceof ConfigError ? err.lines : err.message.split("\n");
            for (const line of lines) process.stderr.write(`error: ${line}\n`);
            return 1;
        }
        throw err;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => exitWhenFlushed(code),
        (err) => {
            process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
            exitWhenFlushed(1);
        },
    );
}
