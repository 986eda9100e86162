import type { PolicyComplianceFramework, PolicyConfigSchema, Severity } from "@pulumi/policy";

/** Policy families of the guardrail catalog. */
export const FAMILIES = {
    ENC: "encryption",
    LC: "lifecycle, retention and tiering",
    NET: "network and VPC endpoints",
    HA: "multi-AZ and resilience",
    DP: "data protection",
    ACC: "access",
    LOG: "logging",
    TAG: "tagging and cost allocation",
    GOV: "Lake Formation governance",
    FMT: "data formats",
    PATCH: "patching",
    COST: "budget",
    DEP: "deploy safety",
} as const;
export type Family = keyof typeof FAMILIES;

/** Where a rule comes from: the public checkers' ids, or `new` for rules only this pack has. */
export interface References {
    /** Security Hub FSBP control id (e.g. `S3.5`); a trailing `†` marks another standard. */
    fsbp?: string;
    /** Checkov ids (e.g. `CKV_AWS_145`). */
    checkov?: string[];
    /** AWS Config managed rule. */
    config?: string;
    /** Control Tower proactive control. */
    controlTower?: string;
    /** True for rules no public checker has. */
    isNew?: boolean;
}

/** A configurable parameter of a policy, with its JSON-schema type and default. */
export interface ParamSpec {
    type: "number" | "string" | "boolean" | "array";
    description: string;
    default: unknown;
    items?: { type: "string" | "number" };
}

/** Everything a policy declares about itself; rendered into the pack and into policies/README.md. */
export interface RuleMeta {
    /** Unique, kebab-case. */
    name: string;
    family: Family;
    severity: Severity;
    /** What the policy checks, one sentence. */
    description: string;
    /** How to fix a violation. */
    remediation: string;
    refs: References;
    /** Parameters read from policy config. */
    params?: Record<string, ParamSpec>;
}

/** Tags for filtering in the Pulumi console: family and every reference. */
export function metaTags(meta: RuleMeta): string[] {
    const tags = [`family:${meta.family}`];
    if (meta.refs.fsbp) tags.push(`fsbp:${meta.refs.fsbp}`);
    for (const id of meta.refs.checkov ?? []) tags.push(`checkov:${id}`);
    if (meta.refs.config) tags.push(`aws-config:${meta.refs.config}`);
    if (meta.refs.controlTower) tags.push(`control-tower:${meta.refs.controlTower}`);
    if (meta.refs.isNew) tags.push("source:lakehouse");
    return tags;
}

/** The compliance framework field: FSBP where a control exists, else Checkov, else this pack. */
export function metaFramework(meta: RuleMeta): PolicyComplianceFramework {
    if (meta.refs.fsbp) {
        return { name: "AWS Foundational Security Best Practices", version: "1.0.0", reference: meta.refs.fsbp, specification: meta.description };
    }
    if (meta.refs.checkov?.length) {
        return { name: "Checkov", version: "3", reference: meta.refs.checkov.join(", "), specification: meta.description };
    }
    return { name: "Lakehouse guardrails", version: "1.0.0", reference: meta.name, specification: meta.description };
}

/**
 * JSON schema of a policy's parameters; no other property is allowed. @pulumi/policy sends the
 * engine only `properties` and `required` (the Analyzer protocol's PolicyConfigSchema has no other
 * field, and the CLI validates config against `{type: object, properties, required}`), so the
 * CLI and the Pulumi service accept an unknown parameter whatever the schema says: the pack
 * refuses it itself when a policy reads its config (resolveParams).
 */
export function configSchema(meta: RuleMeta): PolicyConfigSchema & { additionalProperties: false } {
    const properties: PolicyConfigSchema["properties"] = {};
    for (const [key, spec] of Object.entries(meta.params ?? {})) {
        properties[key] = { type: spec.type, description: spec.description, default: spec.default as never, ...(spec.items ? { items: spec.items } : {}) };
    }
    return { properties, additionalProperties: false };
}

/** Raised when a policy's config names a parameter the policy does not have. */
export class PolicyParameterError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyParameterError";
    }
}

/**
 * Parameter defaults, overlaid by what policy config sets. A parameter the policy does not declare
 * (a typo, a retired name) is refused with one line naming the policy, the key, its value and the
 * parameters allowed: under the Pulumi CLI that fails the preview or update instead of judging
 * with a silently ignored setting.
 */
export function resolveParams(meta: RuleMeta, configured: Record<string, unknown>): Record<string, any> {
    const declared = meta.params ?? {};
    for (const [key, value] of Object.entries(configured ?? {})) {
        if (key === "enforcementLevel" || key in declared) continue;
        const allowed = Object.keys(declared);
        throw new PolicyParameterError(
            `policy config ${meta.name}.${key}: got ${JSON.stringify(value)}; ${meta.name} has ${allowed.length ? `the parameters ${allowed.join(", ")}` : "no parameters"} (besides enforcementLevel)`,
        );
    }
    const params: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(declared)) params[key] = configured?.[key] ?? spec.default;
    return params;
}
