import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { isExempt } from "./exemptions";
import { configSchema, metaFramework, metaTags, resolveParams, type RuleMeta } from "./meta";
import { ownTags } from "./props";

/** Tag of policies that offer a safe remediation (only they may run at the `remediate` level). */
export const REMEDIABLE_TAG = "remediation:safe";

/** Every policy name of the pack, filled as rules are defined; exemptions are checked against it. */
export const POLICY_NAMES = new Set<string>();
/** Every rule's metadata, in definition order (the docs generator reads it). */
export const RULES: RuleMeta[] = [];

/** What a resource rule sees: the engine's arguments plus resolved parameters. */
export interface ResourceCheck {
    type: string;
    name: string;
    urn: string;
    props: Record<string, any>;
    /** Resource options the engine passes (protect, parent…). */
    opts: ResourceValidationArgs["opts"];
    /** Inputs of the resource's provider (e.g. `defaultTags`, `region`), when known. */
    providerProps: Record<string, any>;
}

/** A violation found by a check: a message, and for stack rules the resource it is about. */
export interface Finding {
    message: string;
    /** The resource the finding is about (stack rules). */
    resource?: PolicyResource;
}

type CheckResult = string | string[] | undefined | null;

/**
 * During a preview, @pulumi/policy hands policies a proxy that throws `UnknownValueError` when a
 * policy reads a value not known until the update (an ARN of a resource not yet created). A rule
 * judges what it can: an unknown it needed means no finding, not a failed preview.
 */
function isUnknownValue(err: unknown): boolean {
    return !!err && typeof err === "object" && (err as Error).constructor?.name === "UnknownValueError";
}

/**
 * One line that says what is wrong and what would satisfy the rule: a finding that already names
 * its fix (`…; set X`) is kept, any other gets the policy's remediation after a semicolon.
 */
export function findingMessage(finding: string, remediation: string): string {
    const line = finding.replace(/\s*\n\s*/g, " ").trim();
    if (line.includes("; ")) return line;
    const fix = remediation.trim().replace(/\.$/, "");
    return `${line}; ${fix.charAt(0).toLowerCase()}${fix.slice(1)}`;
}

function register(meta: RuleMeta) {
    if (POLICY_NAMES.has(meta.name)) throw new Error(`duplicate policy name ${meta.name}`);
    POLICY_NAMES.add(meta.name);
    RULES.push(meta);
}

function common(meta: RuleMeta) {
    return {
        name: meta.name,
        description: meta.description,
        severity: meta.severity,
        framework: metaFramework(meta),
        tags: metaTags(meta),
        remediationSteps: meta.remediation,
        configSchema: configSchema(meta),
    };
}

/**
 * A policy over single resources of the given types. A resource with a valid exemption tag for
 * this policy is skipped (the exemptions policy reports it).
 */
export function resourceRule(
    meta: RuleMeta & {
        /** Resource types the policy judges; `["*"]` for every type. */
        types: string[];
        check: (resource: ResourceCheck, params: Record<string, any>) => CheckResult | Promise<CheckResult>;
        /**
         * A fix that is always safe to apply (it only turns a protection on), for the `remediate`
         * level: returns the corrected properties, or undefined when nothing needs fixing.
         */
        remediate?: (props: Record<string, any>) => Record<string, any> | undefined;
    },
): ResourceValidationPolicy {
    register(meta);
    const types = new Set(meta.types);
    const applies = (type: string) => types.has("*") || types.has(type);
    const remediate = meta.remediate;
    const base = common(meta);
    return {
        ...base,
        tags: remediate ? [...(base.tags ?? []), REMEDIABLE_TAG] : base.tags,
        ...(remediate
            ? {
                  remediateResource: (args: ResourceValidationArgs) => {
                      if (!applies(args.type) || isExempt(ownTags(args.props), meta.name, POLICY_NAMES)) return undefined;
                      return remediate({ ...args.props });
                  },
              }
            : {}),
        validateResource: async (args: ResourceValidationArgs, report: ReportViolation) => {
            if (!applies(args.type)) return;
            let result: CheckResult;
            try {
                if (isExempt(ownTags(args.props), meta.name, POLICY_NAMES)) return;
                const params = resolveParams(meta, args.getConfig());
                result = await meta.check(
                    { type: args.type, name: args.name, urn: args.urn, props: args.props ?? {}, opts: args.opts ?? ({} as ResourceValidationArgs["opts"]), providerProps: args.provider?.props ?? {} },
                    params,
                );
            } catch (err) {
                if (isUnknownValue(err)) return;
                throw err;
            }
            for (const message of [result ?? []].flat()) if (message) report(findingMessage(message, meta.remediation));
        },
    };
}

/** A policy over the whole stack, for rules that join resources through their dependencies. */
export function stackRule(meta: RuleMeta & { check: (resources: PolicyResource[], params: Record<string, any>) => Finding[] | Promise<Finding[]> }): StackValidationPolicy {
    register(meta);
    return {
        ...common(meta),
        validateStack: async (args: StackValidationArgs, report: ReportViolation) => {
            const params = resolveParams(meta, args.getConfig());
            let findings: Finding[];
            try {
                findings = await meta.check(args.resources, params);
            } catch (err) {
                if (isUnknownValue(err)) return;
                throw err;
            }
            for (const finding of findings) {
                if (finding.resource && isExempt(ownTags(finding.resource.props), meta.name, POLICY_NAMES)) continue;
                report(findingMessage(finding.message, meta.remediation), finding.resource?.urn);
            }
        },
    };
}
