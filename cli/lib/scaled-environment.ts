/**
 * An environment with many domains, generated from a shipped one: how the platform is planned,
 * benchmarked and tested at scale (`npm run scale-env`, `npm run bench -- --domains`, the
 * 300-domain test). The base environment's own domains stay as they are; generated domains follow
 * a small, declared shape (a key, an amount and an event time; a modest peak and volume) and take
 * turns on the base's transports, so every per-domain path (stream or topic, Firehose, job,
 * catalog, grants, alarms, load) is exercised at the count asked.
 */

/** The stack configuration (`config:` of a stack file) and the policy config of one environment. */
export interface EnvironmentFiles {
    stack: Record<string, unknown>;
    policyConfig: Record<string, unknown>;
}

/** What to generate. */
export interface ScaleRequest {
    /** The new environment's name (`lakehouse:environment`, and the stack it is planned as). */
    name: string;
    /** Domains in all: the base's own, then generated ones up to this count. */
    domains: number;
    /**
     * Monthly budget (USD) added per generated domain to the base's `lakehouse:cost.monthlyBudgetUsd`:
     * the generated domains are small, but each has its stream or topic, Firehose, job and alarms.
     * @default 600
     */
    budgetPerDomain?: number;
}

/** A generated domain's name: `scale001`, `scale002`, … (sorted as they were generated). */
export const scaledDomainName = (index: number) => `scale${String(index).padStart(3, "0")}`;

/**
 * Quotas a generated environment needs raised above AWS's defaults, as a team running this many
 * domains would declare them once raised (`lakehouse:quotas`): one Firehose stream per domain.
 */
function raisedQuotas(domains: number, declared: Record<string, number>): Record<string, number> {
    const streams = Math.max(declared["firehose-delivery-streams"] ?? 0, Math.ceil((domains + 10) / 50) * 50);
    return { ...declared, ...(domains > 40 ? { "firehose-delivery-streams": streams } : {}) };
}

/**
 * The base environment with `request.domains` domains: its own first, generated ones after. The
 * stack keeps every other setting of the base (its Region, sizes, protection, governance), so two
 * counts of the same base differ only in their domains.
 */
export function scaledEnvironment(base: EnvironmentFiles, request: ScaleRequest): EnvironmentFiles {
    const stack = structuredClone(base.stack);
    const declared = (stack["lakehouse:domains"] ?? []) as Record<string, unknown>[];
    if (!Number.isInteger(request.domains) || request.domains < declared.length) {
        throw new Error(`domains: got ${request.domains}; expected a whole number of at least ${declared.length}, the base environment's own domains (${declared.map((d) => d.name).join(", ")})`);
    }
    const transports = [...new Set(declared.map((d) => String(d.transport)))];
    const generated = Array.from({ length: request.domains - declared.length }, (_, i) => ({
        name: scaledDomainName(i + 1),
        // Kinesis twice for each MSK topic where the base has both: topics share the brokers' partitions.
        transport: transports.includes("msk") && transports.includes("kinesis") ? (i % 3 === 2 ? "msk" : "kinesis") : transports[0],
        peakEventsPerSecond: 50,
        averageEventBytes: 500,
        dailyVolumeGb: 1,
        retentionHours: 168,
        consumers: 1,
        columns: [
            { name: "id", type: "string", nullable: false },
            { name: "amount", type: "bigint", min: 0, max: 1_000_000 },
            { name: "event_time", type: "timestamp", nullable: false },
        ],
        primaryKey: ["id"],
        freshness: { rawMinutes: 60 },
    }));
    stack["lakehouse:domains"] = [...declared, ...generated];
    stack["lakehouse:environment"] = request.name;
    const protection = stack["lakehouse:protection"] as Record<string, unknown> | undefined;
    if (protection && "destroyConfirmation" in protection) protection.destroyConfirmation = request.name;
    const governance = (stack["lakehouse:governance"] ?? {}) as Record<string, unknown>;
    const classification = (governance.databaseClassification ?? {}) as Record<string, string>;
    for (const domain of generated) classification[domain.name] = "internal";
    governance.databaseClassification = classification;
    stack["lakehouse:governance"] = governance;
    // As many domains at once as keep the load's round of every domain within the base's schedule
    // (four turns of the usual job), so the base domains' freshness objectives hold at any count.
    const orchestration = (stack["lakehouse:orchestration"] ?? {}) as Record<string, unknown>;
    const atOnce = Number(orchestration.maxConcurrentDomains ?? 10);
    orchestration.maxConcurrentDomains = Math.max(atOnce, Math.ceil(request.domains / 4));
    stack["lakehouse:orchestration"] = orchestration;
    stack["lakehouse:quotas"] = raisedQuotas(request.domains, (stack["lakehouse:quotas"] ?? {}) as Record<string, number>);
    if (Object.keys(stack["lakehouse:quotas"] as object).length === 0) delete stack["lakehouse:quotas"];

    const cost = stack["lakehouse:cost"] as Record<string, unknown> | undefined;
    if (cost && typeof cost.monthlyBudgetUsd === "number") cost.monthlyBudgetUsd += (request.budgetPerDomain ?? 600) * generated.length;
    return { stack, policyConfig: structuredClone(base.policyConfig) };
}
