import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as policy from "@pulumi/policy";
import { isExempt } from "./exemptions";
import { configSchema, metaFramework, metaTags, resolveParams, type RuleMeta } from "./meta";
import { ownTags } from "./props";
import { knownView, mergeFix, rawProps } from "./remediation";
import { judgeStack } from "./stack-judgement";
import { NOT_JUDGED_PREFIX } from "./unknowns";

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
    /** The check could not judge it: a value it needs is unknown until the update. Reported as not judged, at advisory. */
    notJudged?: boolean;
}

type CheckResult = string | string[] | undefined | null;

/**
 * During a preview, @pulumi/policy hands policies a proxy that throws `UnknownValueError` when a
 * policy reads a value not known until the update (an ARN of a resource not yet created).
 */
function isUnknownValue(err: unknown): err is Error & { props?: PropertyKey[] } {
    // By class, and by name for an error from another copy of @pulumi/policy than this module's.
    return err instanceof policy.UnknownValueError || (!!err && typeof err === "object" && (err as Error).constructor?.name === "UnknownValueError");
}

/** `.a.b` of an unknown value a policy tried to read. */
function unknownPath(err: Error & { props?: PropertyKey[] }): string {
    return err.props?.length ? `.${err.props.map(String).join(".")}` : "a value";
}

/**
 * Reports that the policy could not judge a resource, and why, as an advisory diagnostic whatever
 * the policy's level: @pulumi/policy's report function takes a diagnostic object whose
 * `enforcementLevel` overrides the policy's (as it does itself for an unknown that escapes a
 * policy), so an unknown never fails a preview, and it is still seen under the CLI.
 */
function reportNotJudged(report: ReportViolation, reason: string, urn?: string): void {
    (report as unknown as (diagnostic: { message: string; urn?: string; enforcementLevel: "advisory" }) => void)({
        message: `${NOT_JUDGED_PREFIX} ${reason}; pulumi up judges it once the value is known`,
        urn,
        enforcementLevel: "advisory",
    });
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
    /**
     * Remediations the engine asked for that an unknown value blocked (`<urn>` → its path): the
     * engine runs Remediate then Analyze for each resource, and Analyze then reports the finding
     * as not judged (advisory) instead of at `mandatory`, the level @pulumi/policy gives a
     * remediate-level violation that is still there.
     */
    const blocked = new Map<string, string>();
    return {
        ...base,
        tags: remediate ? [...(base.tags ?? []), REMEDIABLE_TAG] : base.tags,
        ...(remediate
            ? {
                  remediateResource: (args: ResourceValidationArgs) => {
                      if (!applies(args.type)) return undefined;
                      blocked.delete(args.urn);
                      // The fix sees only known values, and reading an unknown one stops it: it
                      // never decides from a value it cannot see. Values it leaves alone,
                      // unknown ones included, go back to the engine as they came.
                      const raw = rawProps(args.props);
                      try {
                          const view = knownView(raw);
                          if (isExempt(ownTags(view), meta.name, POLICY_NAMES)) return undefined;
                          const fix = remediate(view);
                          return fix ? mergeFix(raw, view, fix) : undefined;
                      } catch (err) {
                          if (!isUnknownValue(err)) throw err;
                          blocked.set(args.urn, unknownPath(err));
                          return undefined;
                      }
                  },
              }
            : {}),
        validateResource: async (args: ResourceValidationArgs, report: ReportViolation) => {
            // Config is read for every resource, so a misspelt parameter is refused even where no resource of the policy's types exists.
            const params = resolveParams(meta, args.getConfig());
            if (!applies(args.type)) return;
            const blockedAt = blocked.get(args.urn);
            blocked.delete(args.urn);
            let result: CheckResult;
            try {
                if (isExempt(ownTags(args.props), meta.name, POLICY_NAMES)) return;
                result = await meta.check(
                    { type: args.type, name: args.name, urn: args.urn, props: args.props ?? {}, opts: args.opts ?? ({} as ResourceValidationArgs["opts"]), providerProps: args.provider?.props ?? {} },
                    params,
                );
            } catch (err) {
                if (!isUnknownValue(err)) throw err;
                reportNotJudged(report, `${unknownPath(err)} is unknown until the update`);
                return;
            }
            for (const message of [result ?? []].flat()) {
                if (!message) continue;
                if (blockedAt) reportNotJudged(report, `${findingMessage(message, meta.remediation)} (not remediated: the fix needs ${blockedAt}, unknown until the update)`);
                else report(findingMessage(message, meta.remediation));
            }
        },
    };
}

/**
 * A policy over the whole stack, for rules that join resources through their dependencies. Each
 * resource is judged on what is known: when the check reads a value unknown until the update
 * (a preview), the resource holding it is set aside and the check runs again without it; that
 * resource, and any finding about a resource it is directly attached to (which its absence may
 * have caused), are reported as not judged. The rest of the stack is judged as usual.
 */
export function stackRule(meta: RuleMeta & { check: (resources: PolicyResource[], params: Record<string, any>) => Finding[] | Promise<Finding[]> }): StackValidationPolicy {
    register(meta);
    return {
        ...common(meta),
        validateStack: async (args: StackValidationArgs, report: ReportViolation) => {
            const params = resolveParams(meta, args.getConfig());
            const { findings, notJudged } = await judgeStack(args.resources, (resources) => meta.check(resources, params), isUnknownValue, unknownPath);
            for (const finding of findings) {
                try {
                    if (finding.resource && isExempt(ownTags(finding.resource.props), meta.name, POLICY_NAMES)) continue;
                } catch (err) {
                    if (!isUnknownValue(err)) throw err;
                    reportNotJudged(report, `its tags (${unknownPath(err)}) are unknown until the update, so its exemptions cannot be read`, finding.resource?.urn);
                    continue;
                }
                if (finding.notJudged) reportNotJudged(report, finding.message, finding.resource?.urn);
                else report(findingMessage(finding.message, meta.remediation), finding.resource?.urn);
            }
            for (const n of notJudged) reportNotJudged(report, n.reason, n.urn);
        },
    };
}
