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
        types: string[];
        check: (resource: ResourceCheck, params: Record<string, any>) => CheckResult;
        /**
         * A fix that is always safe to apply (it only turns a protection on), for the `remediate`
         * level: returns the corrected properties, or undefined when nothing needs fixing.
         */
        remediate?: (props: Record<string, any>) => Record<string, any> | undefined;
    },
): ResourceValidationPolicy {
    register(meta);
    const types = new Set(meta.types);
    const remediate = meta.remediate;
    const base = common(meta);
    return {
        ...base,
        tags: remediate ? [...(base.tags ?? []), REMEDIABLE_TAG] : base.tags,
        ...(remediate
            ? {
                  remediateResource: (args: ResourceValidationArgs) => {
                      if (!types.has(args.type) || isExempt(ownTags(args.props), meta.name, POLICY_NAMES)) return undefined;
                      return remediate({ ...args.props });
                  },
              }
            : {}),
        validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
            if (!types.has(args.type)) return;
            if (isExempt(ownTags(args.props), meta.name, POLICY_NAMES)) return;
            const params = resolveParams(meta, args.getConfig());
            const result = meta.check(
                { type: args.type, name: args.name, urn: args.urn, props: args.props, opts: args.opts, providerProps: args.provider?.props ?? {} },
                params,
            );
            for (const message of [result ?? []].flat()) if (message) report(message);
        },
    };
}

/** A policy over the whole stack, for rules that join resources through their dependencies. */
export function stackRule(meta: RuleMeta & { check: (resources: PolicyResource[], params: Record<string, any>) => Finding[] }): StackValidationPolicy {
    register(meta);
    return {
        ...common(meta),
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            const params = resolveParams(meta, args.getConfig());
            for (const finding of meta.check(args.resources, params)) {
                if (finding.resource && isExempt(ownTags(finding.resource.props), meta.name, POLICY_NAMES)) continue;
                report(finding.message, finding.resource?.urn);
            }
        },
    };
}
