import type { LifecycleConfig } from "./schema";
import type { PlatformConfig } from "./loader";

/** One environment as docs/environments.md's table shows it: its validated config and its plan's estimate. */
export interface EnvironmentColumn {
    name: string;
    config: PlatformConfig;
    /** The plan's monthly estimate, in USD. */
    estimate: number;
    /** The level of most policies (`all`) in the environment's policy config, and how many differ. */
    policyLevels: { all: string; mandatory: number; advisory: number; disabled: number };
}

const CLASS_NAMES: Record<string, string> = {
    INTELLIGENT_TIERING: "Intelligent-Tiering",
    STANDARD_IA: "Standard-IA",
    ONEZONE_IA: "One Zone-IA",
    GLACIER_IR: "Glacier IR",
    GLACIER: "Glacier",
    DEEP_ARCHIVE: "Deep Archive",
};

/** Days, in years when they are whole years (leap days allowed: 2557 days is 7 years). */
function days(n: number): string {
    const years = Math.round(n / 365.25);
    return n >= 365 && Math.abs(n - years * 365.25) <= 2 ? `${years} y` : `${n} d`;
}
const usd = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;

function lifecycle(l: LifecycleConfig): string {
    const steps = l.transitions.map((t) => `${CLASS_NAMES[t.storageClass] ?? t.storageClass} ${days(t.days)}`).join(" → ");
    return [steps || "Standard", l.expirationDays !== undefined ? `expire ${days(l.expirationDays)}` : "kept"].join(", ");
}

function schedule(expression: string): string {
    const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
    if (rate) return rate[1] === "1" ? `${rate[2] === "day" ? "daily" : `${rate[2]}ly`}` : `every ${rate[1]} ${rate[2] === "minute" ? "min" : rate[2][0]}`;
    return expression;
}

/** Noncurrent-version expiry per zone, grouped: `7 d`, or `raw, curated, analytics 7 d; access logs 1 d`. */
function noncurrent(c: PlatformConfig): string {
    const zones: [string, LifecycleConfig][] = [["raw", c.lake.raw], ["curated", c.lake.curated], ["analytics", c.lake.analytics], ["access logs", c.lake.accessLogs]];
    const groups = new Map<string, string[]>();
    for (const [zone, l] of zones) groups.set(days(l.noncurrentVersionExpirationDays), [...(groups.get(days(l.noncurrentVersionExpirationDays)) ?? []), zone]);
    return groups.size === 1 ? [...groups.keys()][0] : [...groups.entries()].map(([d, z]) => `${z.join(", ")} ${d}`).join("; ");
}

function kinesis(c: PlatformConfig): string {
    const domains = c.domains.filter((d) => d.transport === "kinesis");
    if (domains.length === 0) return "none";
    const retention = [...new Set(domains.map((d) => `${d.retentionHours} h`))].join("/");
    if (c.streaming.kinesisMode === "ON_DEMAND") return `on-demand, ${retention}`;
    const shards = domains.reduce((sum, d) => sum + (c.sizes.streams[d.name]?.shards ?? 0), 0);
    const efo = domains.some((d) => c.sizes.streams[d.name]?.enhancedFanOut) ? ", enhanced fan-out" : "";
    return `provisioned (${shards} shards${efo}), ${retention}`;
}

function msk(c: PlatformConfig): string {
    const m = c.streaming.msk;
    if (m.mode === "none") return "none";
    if (m.mode === "serverless") return "Serverless";
    const s = c.sizes.msk;
    if (!s) return "provisioned";
    return `${s.brokerCount} × ${s.instanceType}, ${s.storageGibPerBroker.toLocaleString("en-US")} GiB each, autoscaling to ${m.maxStorageGibPerBroker.toLocaleString("en-US")}`;
}

function redshift(c: PlatformConfig): string {
    const w = c.warehouse;
    if (w.mode === "serverless") return `Serverless, ${w.baseCapacityRpu} RPU base`;
    return [`${w.numberOfNodes} × ${w.nodeType}`, w.multiAz ? "Multi-AZ" : "", `${w.snapshotRetentionDays}-day snapshots`].filter(Boolean).join(", ");
}

/** docs/environments.md's environment table, from the environments' own config and plans: it cannot drift. */
export function renderEnvironmentTable(columns: EnvironmentColumn[]): string {
    const row = (label: string, cell: (c: EnvironmentColumn) => string) => `| ${label} | ${columns.map((c) => cell(c).replace(/\|/g, "\\|")).join(" | ")} |`;
    const cfg = (f: (c: PlatformConfig) => string) => (c: EnvironmentColumn) => f(c.config);
    return [
        `| Setting | ${columns.map((c) => c.name).join(" | ")} |`,
        `|---|${columns.map(() => "---|").join("")}`,
        row("Region", cfg((c) => (c.cost.priceRegion && c.cost.priceRegion !== c.region ? `${c.region} (priced at ${c.cost.priceRegion} list prices)` : c.region))),
        row("VPC CIDR", cfg((c) => c.network.vpcCidr)),
        row("Availability Zones", cfg((c) => String(c.network.azCount))),
        row("NAT gateways", cfg((c) => (c.network.natStrategy === "perAz" ? "1 per AZ" : c.network.natStrategy === "single" ? "1 shared" : "none"))),
        row("Flow logs", cfg((c) => `${c.network.flowLogs.trafficType}, ${c.network.flowLogs.aggregationIntervalSeconds / 60} min`)),
        row("Log retention", cfg((c) => `${c.logging.retentionDays} days`)),
        row("KMS deletion window", cfg((c) => `${c.keys.deletionWindowDays} days`)),
        row("`protect` on stateful resources", cfg((c) => (c.protection.protect ? "yes" : "no"))),
        row("Data on `pulumi destroy`", cfg((c) => (c.protection.removeDataOnDestroy ? "removed (both switches set)" : c.protection.protect ? "retained (and protected)" : "retained"))),
        row("Lake Formation account settings", cfg((c) => (c.governance.manageAccountSettings ? (c.governance.protectAccountSettings ? "retained and protected" : "retained, not protected") : "managed elsewhere"))),
        row("Raw zone lifecycle", cfg((c) => lifecycle(c.lake.raw))),
        row("Curated / analytics", cfg((c) => (lifecycle(c.lake.curated) === lifecycle(c.lake.analytics) ? lifecycle(c.lake.curated) : `curated: ${lifecycle(c.lake.curated)}; analytics: ${lifecycle(c.lake.analytics)}`))),
        row("Access logs", cfg((c) => lifecycle(c.lake.accessLogs))),
        row("Noncurrent versions expire", cfg(noncurrent)),
        row("Kinesis", cfg(kinesis)),
        row("MSK", cfg(msk)),
        row("Glue jobs", cfg(glueJobs)),
        row("Redshift", cfg(redshift)),
        row("Warehouse load", cfg((c) => schedule(c.orchestration.schedule))),
        row("Freshness objectives (raw / curated / warehouse)", cfg(freshness)),
        row("CloudTrail trail", cfg((c) => (c.monitoring.cloudTrail ? "on" : "off (organization trail assumed)"))),
        row("Monthly budget (estimate)", (c) => `${usd(c.config.cost.monthlyBudgetUsd)} (${usd(c.estimate)})`),
        row("Policy config", (c) => `${c.policyLevels.all} by default; ${c.policyLevels.mandatory} mandatory, ${c.policyLevels.advisory} advisory, ${c.policyLevels.disabled} disabled`),
    ].join("\n");
}

/** docs/environments.md's cost table: each environment's estimate, budget and largest components. */
export function renderCostTable(columns: (EnvironmentColumn & { byComponent: Record<string, number> })[]): string {
    // `lakehouse-prod-kafka (lakehouse:streaming:MskCluster)` → `MskCluster (kafka)`.
    const component = (label: string, env: string) => {
        const match = /^(\S+) \(.*:(\w+)\)$/.exec(label);
        if (!match) return label;
        const suffix = match[1].split(`-${env}`).slice(1).join(`-${env}`).replace(/^-/, "");
        return suffix ? `${match[2]} (${suffix})` : match[2];
    };
    return [
        "| Environment | Estimate per month | Budget | Largest components |",
        "|---|---|---|---|",
        ...columns.map((c) => {
            const top = Object.entries(c.byComponent)
                .sort((a, b) => b[1] - a[1])
                .slice(0, 4)
                .map(([label, monthly]) => `${component(label, c.name)} ${usd(monthly)}`)
                .join(", ");
            return `| ${c.name} | ${usd(c.estimate)} | ${usd(c.config.cost.monthlyBudgetUsd)} | ${top} |`;
        }),
    ].join("\n");
}

export const COST_TABLE_START = "<!-- cost-table:start (generated by npm run docs:environments; a test fails when it is stale) -->";
export const COST_TABLE_END = "<!-- cost-table:end -->";

export const TABLE_START = "<!-- environments:start (generated by npm run docs:environments; a test fails when it is stale) -->";
export const TABLE_END = "<!-- environments:end -->";

/** A document with the block between `startMarker` and `endMarker` replaced by `table`. */
export function withGeneratedBlock(readme: string, table: string, startMarker = TABLE_START, endMarker = TABLE_END): string {
    const start = readme.indexOf(startMarker);
    const end = readme.indexOf(endMarker);
    if (start < 0 || end < start) throw new Error(`the document has no ${startMarker} … ${endMarker} block`);
    return `${readme.slice(0, start + startMarker.length)}\n${table}\n${readme.slice(end)}`;
}

/** The text of a generated block. */
export function generatedBlock(readme: string, startMarker = TABLE_START, endMarker = TABLE_END): string {
    return readme.slice(readme.indexOf(startMarker) + startMarker.length, readme.indexOf(endMarker)).trim();
}

/** Each domain's freshness objectives, in minutes, and its incoming-record floor when declared. */
function freshness(c: PlatformConfig): string {
    return Object.entries(c.freshness)
        .map(([domain, f]) => `${domain}: ${f.rawSeconds / 60} / ${f.curatedSeconds / 60} / ${f.warehouseSeconds / 60} min${f.minRecordsPerMinute !== undefined ? `, ≥ ${f.minRecordsPerMinute} records/min` : ""}`)
        .join("; ");
}

/** Each domain's job: its maximum workers (auto scaling within them, sized from its volume), the worker type and execution class. */
function glueJobs(c: PlatformConfig): string {
    const perDomain = c.domains.map((d) => `${d.name} ≤ ${c.sizes.glueJobs[d.name]?.maxWorkers ?? c.glue.numberOfWorkers}`).join(", ");
    return `${c.glue.workerType} ${c.glue.executionClass === "FLEX" ? "Flex" : "standard"}, auto scaling: ${perDomain} workers (ceiling ${c.glue.numberOfWorkers})`;
}
