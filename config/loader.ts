import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ignoredKeyProblems, type LifecycleConfig, type ParsedStackConfig, stackConfigSchema } from "./schema";
import { readPriceFile } from "../cost/price-file";
import type { Price } from "../cost/prices";
import { type PlatformSizes, resolveSizes } from "./sizes";
import { type FreshnessObjective, resolveFreshness } from "./freshness";
import { type AwsProviderSettings, parseAwsProviderSettings } from "./aws-provider";
import { regionInfo } from "../lib/regions";
import { excludedZoneIds, pinnedZoneIds } from "../lib/zones";

/** The validated platform configuration every component reads its settings from. */
export interface PlatformConfig {
    /** Environment name, used in resource names and the `environment` tag. */
    environment: string;
    /** AWS Region of the environment. */
    region: string;
    /**
     * The stack's `aws:` settings (profile, roles to assume, allowed accounts…), which the platform's
     * explicit provider and its own AWS calls honour; see config/aws-provider.ts.
     */
    awsProvider: AwsProviderSettings;
    /** Ownership tags applied to every taggable resource. */
    tags: { owner: string; team: string; costCentre: string; extra: Record<string, string> };
    /** What happens to stateful resources on delete or destroy. */
    protection: {
        /** Stateful resources carry Pulumi's `protect`. */
        protect: boolean;
        /** Both switches were set: buckets may be force-destroyed and data is not retained. */
        removeDataOnDestroy: boolean;
    };
    network: {
        vpcCidr: string;
        azCount: number;
        /** The zone ids the environment is pinned to (configured, or the Region's first usable ones), in order. */
        availabilityZoneIds: string[];
        natStrategy: "single" | "perAz" | "none";
        interfaceEndpoints: string[];
        flowLogs: { trafficType: "ALL" | "ACCEPT" | "REJECT"; aggregationIntervalSeconds: 60 | 600 };
    };
    keys: { deletionWindowDays: number };
    logging: { retentionDays: number };
    lake: Record<"raw" | "curated" | "analytics" | "accessLogs", LifecycleConfig>;
    /** Data domains with their declared load and schema: one stream or topic each. */
    domains: DomainConfig[];
    /** Kinesis mode and the MSK cluster. */
    streaming: ParsedStackConfig["lakehouse:streaming"];
    /** Glue jobs and crawlers. */
    glue: ParsedStackConfig["lakehouse:glue"];
    /** How the curated Iceberg tables are kept: compaction target, snapshot and orphan-file retention. */
    tables: ParsedStackConfig["lakehouse:tables"];
    /** The personas' Athena query path: scan cut-offs, result expiry, policy attachment. */
    query: ParsedStackConfig["lakehouse:query"];
    /** Redshift, provisioned or serverless. */
    warehouse: ParsedStackConfig["lakehouse:warehouse"];
    /** The load pipeline's schedule and queue redrive. */
    orchestration: ParsedStackConfig["lakehouse:orchestration"];
    /** Alert subscriptions, alarm thresholds and the audit trail switch. */
    monitoring: ParsedStackConfig["lakehouse:monitoring"];
    /** Lake Formation: administrators, account settings, LF-Tags, personas and their grants. */
    governance: ParsedStackConfig["lakehouse:governance"];
    /** Monthly budget, warning threshold, pricing Region and the usage profile of the cost estimate. */
    cost: ParsedStackConfig["lakehouse:cost"] & {
        /** Prices of the price file, when one is configured. */
        priceOverlay?: Record<string, Price>;
    };
    /** Shards, brokers and buffering resolved from the declared load and any explicit overrides. */
    sizes: PlatformSizes;
    /** Each domain's freshness objectives, resolved from its declaration and the load schedule. */
    freshness: Record<string, FreshnessObjective>;
    /** The account's raised service quotas the stack declares, by the ids of lib/quotas.ts. */
    quotas: Record<string, number>;
}

/** One data domain after validation. */
export type DomainConfig = ParsedStackConfig["lakehouse:domains"][number];

/**
 * A user's configuration mistake. Extends Pulumi's RunError so that `pulumi up` prints the
 * message alone, without a stack trace; `lines` holds one line per bad value.
 */
export class ConfigError extends pulumi.RunError {
    constructor(readonly lines: string[]) {
        super(`Invalid stack configuration:\n  ${lines.join("\n  ")}`);
        this.name = "ConfigError";
    }
}

/** The keys the schema validates; the other `aws:` keys are the provider's (config/aws-provider.ts), other namespaces pass through. */
const OWN_PREFIX = "lakehouse:";
const REGION_KEY = "aws:region";

/** Validates raw stack configuration (key → value, objects already parsed) into the typed model. */
export function parseStackConfig(raw: Record<string, unknown>): PlatformConfig {
    const own = Object.fromEntries(
        Object.entries(raw).filter(([key]) => key.startsWith(OWN_PREFIX) || key === REGION_KEY),
    );
    const result = stackConfigSchema.safeParse(own, { reportInput: true });
    const ignored = ignoredKeyProblems(own);
    const provider = parseAwsProviderSettings(raw);
    if (!result.success) throw new ConfigError([...describeIssues(result.error.issues), ...ignored, ...provider.errors]);
    if (ignored.length || provider.errors.length) throw new ConfigError([...ignored, ...provider.errors]);
    const { sizes, errors } = resolveSizes(result.data);
    if (!sizes) throw new ConfigError(errors);
    const freshness = resolveDomainFreshness(result.data);
    if (freshness.errors.length) throw new ConfigError(freshness.errors);
    const priceFile = result.data["lakehouse:cost"].priceFile;
    const overlay = priceFile ? readPriceFile(priceFile) : { prices: undefined, errors: [] };
    if (overlay.errors.length) throw new ConfigError(overlay.errors.map((e) => `lakehouse:cost.priceFile: ${e}`));
    return toModel(result.data, provider.settings, sizes, overlay.prices, freshness.objectives);
}

/**
 * Reads the configuration of the running Pulumi program (real engine or mocks), and refuses a
 * stack whose name is not its `lakehouse:environment`.
 */
export function loadPlatformConfig(): PlatformConfig {
    const config = parseStackConfig(fromPulumiConfigMap(pulumi.runtime.allConfig()));
    const problem = stackNameProblem(config.environment, pulumi.getStack());
    if (problem) throw new ConfigError([problem]);
    return config;
}

/**
 * Every resource name derives from the environment: a stack copied from another that kept its
 * source's `lakehouse:environment` would deploy over (and replace) that environment's resources.
 */
export function stackNameProblem(environment: string, stack: string): string | undefined {
    if (environment === stack) return undefined;
    return `lakehouse:environment: got "${environment}" but the stack is "${stack}"; expected "${stack}" (the stack's name), or its resources would collide with ${environment}'s`;
}

/**
 * Names the policy config a stack is deployed with when it is not `policies/config/<stack>.json`
 * (e.g. `pulumi up --policy-pack-config <file>` with a file elsewhere); the offline plan sets it
 * from `--policy-config`.
 */
export const POLICY_CONFIG_ENV = "LAKEHOUSE_POLICY_CONFIG";

/**
 * Refuses a stack without guardrails. A program cannot see whether `pulumi up` attached a policy
 * pack, so it requires what the deploy steps attach: `policies/config/<stack>.json` next to the
 * program (or the file {@link POLICY_CONFIG_ENV} names), a JSON object of policy levels.
 */
export function requirePolicyConfig(stack: string, programDir: string): void {
    const named = process.env[POLICY_CONFIG_ENV];
    const file = named ? path.resolve(named) : path.join(programDir, "policies", "config", `${stack}.json`);
    const shown = path.relative(process.cwd(), file) || file;
    if (!fs.existsSync(file)) {
        throw new ConfigError([
            named
                ? `${POLICY_CONFIG_ENV}: got "${named}"; expected the path of the stack's policy config, and there is no such file`
                : `${shown}: no policy config for stack ${stack}; create it (npm run new-env does) and attach it: pulumi up --policy-pack policies --policy-pack-config ${shown}`,
        ]);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new ConfigError([`${shown}: the policy config of stack ${stack} is not valid JSON (${(err as Error).message.split("\n")[0]})`]);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new ConfigError([`${shown}: the policy config of stack ${stack} must be a JSON object of policy names to levels`]);
    }
}

/**
 * Pulumi hands structured config values to programs as JSON strings; parse those back so the
 * schema sees the same shapes as the YAML file.
 */
export function fromPulumiConfigMap(map: Record<string, string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(map)) {
        out[key] = /^\s*[[{]/.test(value) ? safeJson(value) : value;
    }
    return out;
}

/** The inverse of {@link fromPulumiConfigMap}: what `pulumi.runtime.setAllConfig` expects. */
export function toPulumiConfigMap(raw: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
        out[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}

/** Raw config of a stack file (`stacks/Pulumi.<stack>.yaml`): its `config:` map. */
export function readStackFile(path: string): Record<string, unknown> {
    if (!fs.existsSync(path)) throw new ConfigError([`${path}: no such stack configuration file`]);
    let document: unknown;
    try {
        document = parseYaml(fs.readFileSync(path, "utf8"));
    } catch (err) {
        throw new ConfigError([`${path}: not valid YAML (${(err as Error).message.split("\n")[0]})`]);
    }
    const config = (document as { config?: unknown } | null)?.config;
    if (config === undefined) throw new ConfigError([`${path}: expected a top-level "config:" mapping`]);
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new ConfigError([`${path}: "config:" must be a mapping of keys to values`]);
    }
    return config as Record<string, unknown>;
}

function safeJson(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/**
 * One line per bad value: `<key>: got <value>; <what is allowed>`. Only the first issue of a key
 * is kept, so a value that breaks a basic rule does not also cascade into the cross-field ones.
 */
function describeIssues(issues: z.core.$ZodIssue[]): string[] {
    const lines: string[] = [];
    const reported = new Set<string>();
    for (const issue of issues) {
        const key = keyPath(issue.path);
        if (issue.code !== "unrecognized_keys") {
            if (reported.has(key)) continue;
            reported.add(key);
        }
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) lines.push(`${keyPath([...issue.path, key])}: ${issue.message}`);
            continue;
        }
        const input = (issue as { input?: unknown }).input;
        const received = input === undefined ? "nothing (the key is required)" : show(input);
        // A number written as text is the commonest type slip: say so exactly.
        const quotedNumber = issue.code === "invalid_type" && typeof input === "string" && input.trim() !== "" && Number.isFinite(Number(input));
        lines.push(`${keyPath(issue.path)}: got ${received}; ${issue.message}${quotedNumber ? ` (write it as a number, without quotes: ${Number(input)})` : ""}`);
    }
    return lines;
}

function keyPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const part of path) {
        if (typeof part === "number") out += `[${part}]`;
        else out += out === "" ? String(part) : `.${String(part)}`;
    }
    return out;
}

function show(value: unknown): string {
    // JSON would print NaN and the infinities as null.
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function toModel(cfg: ParsedStackConfig, awsProvider: AwsProviderSettings, sizes: PlatformSizes, priceOverlay: Record<string, Price> | undefined, freshness: Record<string, FreshnessObjective>): PlatformConfig {
    const protection = cfg["lakehouse:protection"];
    const network = cfg["lakehouse:network"];
    return {
        environment: cfg["lakehouse:environment"],
        region: cfg["aws:region"],
        awsProvider,
        tags: cfg["lakehouse:tags"],
        protection: { protect: protection.protect, removeDataOnDestroy: protection.removeDataOnDestroy },
        network: {
            vpcCidr: network.vpcCidr,
            azCount: network.azCount,
            // Validated by the schema, so this cannot throw here.
            availabilityZoneIds: pinnedZoneIds(regionInfo(cfg["aws:region"])!.azIds, network.azCount, excludedZoneIds(cfg["lakehouse:streaming"].msk.mode), network.availabilityZoneIds),
            natStrategy: network.natStrategy,
            interfaceEndpoints: [...network.interfaceEndpoints],
            flowLogs: network.flowLogs,
        },
        keys: cfg["lakehouse:keys"],
        logging: cfg["lakehouse:logging"],
        lake: cfg["lakehouse:lake"],
        domains: cfg["lakehouse:domains"],
        streaming: cfg["lakehouse:streaming"],
        glue: cfg["lakehouse:glue"],
        tables: cfg["lakehouse:tables"],
        query: cfg["lakehouse:query"],
        warehouse: cfg["lakehouse:warehouse"],
        orchestration: cfg["lakehouse:orchestration"],
        monitoring: cfg["lakehouse:monitoring"],
        governance: cfg["lakehouse:governance"],
        cost: { ...cfg["lakehouse:cost"], priceOverlay },
        sizes,
        freshness,
        quotas: cfg["lakehouse:quotas"],
    };
}

/** Every domain's freshness objectives, or one line per objective its schedule cannot meet. */
function resolveDomainFreshness(cfg: ParsedStackConfig): { objectives: Record<string, FreshnessObjective>; errors: string[] } {
    const objectives: Record<string, FreshnessObjective> = {};
    const errors: string[] = [];
    cfg["lakehouse:domains"].forEach((domain, i) => {
        const orchestration = cfg["lakehouse:orchestration"];
        const { objective, problems } = resolveFreshness(domain.freshness, orchestration.schedule, {
            domains: cfg["lakehouse:domains"].length,
            maxConcurrentDomains: orchestration.maxConcurrentDomains,
            jobMinutes: orchestration.expectedJobMinutes,
        });
        if (objective) objectives[domain.name] = objective;
        for (const p of problems) errors.push(`lakehouse:domains[${i}].${p.key}: got ${p.value}; ${p.message}`);
    });
    return { objectives, errors };
}
