/**
 * The pipeline verifier: proves, from a recorded plan alone, that every hop of every data path is
 * wired and permitted. Permission hops come from requirement tables per resource type and are
 * evaluated by a maintained IAM simulator (identity, resource and key policies together); lineage
 * checks compare what writers write with what readers read; network hops follow each compute
 * resource's subnets, routes, endpoints and security groups to every service it calls; run-time
 * checks find what creates each object a hop needs. It imports nothing from components/: it judges
 * any program by what it would deploy.
 */
import { IamEvaluator } from "./iam";
import { lineageFindings } from "./lineage";
import { PlanModel } from "./model";
import { type PersonaReport, personaFindings } from "./personas";
import type { PlannedStack } from "./plan";
import { networkFindings } from "./reachability";
import { type HopSpec, REQUIREMENTS } from "./requirements";
import { isUnknown, notJudgedReason, type UnknownValue, unknownKinds } from "./unknown";

export { asPlannedStack, PlanFormatError, type PlannedStack } from "./plan";
export { REQUIREMENTS } from "./requirements";
export type { PersonaReport, PersonaTable } from "./personas";

/**
 * How a hop fared: permission hops are allowed or denied, lineage and run-time hops connected or
 * broken, network hops reachable or unreachable; a hop whose verdict depends on what the plan does
 * not know yet (a preview's computed ids) is not judged. What a persona reads of a table is
 * contained, or exposed when it reads a PII column without PII access.
 */
export type Verdict = "allowed" | "denied" | "connected" | "broken-lineage" | "reachable" | "unreachable" | "contained" | "exposed" | "not-judged";

/** One hop of the report. */
export interface HopResult {
    domain: string;
    hop: string;
    /** Requirement-table entry or lineage check it comes from. */
    requirement: string;
    principal: string;
    actions: string[];
    resources: string[];
    verdict: Verdict;
    /** Which policy allows it, or which policy or missing statement breaks it. */
    reason: string;
    /** One line on what to change (broken hops). */
    fix: string;
    /** The resource the hop was derived from. */
    urn: string;
    /** Statements that allowed each request (permission hops), for tests that remove them. */
    grants?: { urn: string; property: string; statement: number }[];
    /** Not-judged hops: the kinds of value the plan did not know (`role ARN`, `policy document`…), for the report's grouping. */
    waitedOn?: string[];
}

/** The verifier's report; `npm run verify -- --json` writes it. */
export interface VerificationReport {
    stack: string;
    summary: { hops: number; verified: number; broken: number; notJudged: number };
    hops: HopResult[];
    /** Every principal outside the plan's service roles that Lake Formation lets read the lake: what it reads, and through which engines. */
    personas?: PersonaReport[];
}

/** True when a hop does not work (or, for a persona, reads PII it has no access to). */
export const isBroken = (hop: Pick<HopResult, "verdict">) => hop.verdict === "denied" || hop.verdict === "broken-lineage" || hop.verdict === "unreachable" || hop.verdict === "exposed";

/** True when a hop could not be judged from the plan. */
export const isNotJudged = (hop: Pick<HopResult, "verdict">) => hop.verdict === "not-judged";

/** Options of {@link verifyPlan}. */
export interface VerifyOptions {
    /** Evaluate only these requirement-table entries (no lineage, no action check): for focused tests. */
    only?: string[];
}

/** How long the verifier computes before it lets other work on the event loop run. */
const YIELD_EVERY_MS = 10;

/** Verifies every hop of a recorded plan. */
export async function verifyPlan(plan: PlannedStack, options: VerifyOptions = {}): Promise<VerificationReport> {
    const model = new PlanModel(plan);
    const iam = new IamEvaluator(model);
    const hops: HopResult[] = [];
    const specs: HopSpec[] = [];

    let yielded = performance.now();
    for (const requirement of REQUIREMENTS.filter((r) => !options.only || options.only.includes(r.id))) {
        for (const resource of model.ofType(requirement.resourceType)) {
            // A verification takes a second or more of CPU: the caller's I/O (the plan's exchange
            // with the policy pack, judging in its own process meanwhile) goes on between resources.
            if (performance.now() - yielded > YIELD_EVERY_MS) {
                await new Promise((resolve) => setImmediate(resolve));
                yielded = performance.now();
            }
            for (const spec of await requirement.hops(resource, model, iam)) {
                specs.push(spec);
                const base = { domain: spec.domain, hop: spec.hop, requirement: spec.requirement, principal: spec.principal, fix: spec.fix, urn: spec.urn };
                // A target a preview cannot resolve ("no queue has the URL [unknown]") is not missing: it is not known yet.
                const unknownTarget: UnknownValue[] = spec.unresolved && isUnknown(spec.unresolved) ? [{ kind: "reference named by code or settings", detail: `the target: ${spec.unresolved}` }] : [];
                const derivation = [...(spec.unknown ?? []), ...unknownTarget];
                if (derivation.length > 0) {
                    hops.push({ ...base, actions: [...new Set(spec.checks.map((c) => c.action))], resources: [...new Set(spec.checks.map((c) => c.resource))], verdict: "not-judged", reason: notJudgedReason(derivation), waitedOn: unknownKinds(derivation), fix: NOT_JUDGED_FIX });
                    continue;
                }
                if (spec.unresolved) {
                    hops.push({ domain: spec.domain, hop: spec.hop, requirement: spec.requirement, principal: spec.principal, actions: [], resources: [], verdict: "denied", reason: spec.unresolved, fix: spec.fix, urn: spec.urn, grants: [] });
                    continue;
                }
                const verdicts = await Promise.all(spec.checks.map((check) => iam.check(spec.principal, check)));
                const unknown = verdicts.flatMap((v) => v.unknown ?? []);
                if (unknown.length > 0) {
                    hops.push({ ...base, actions: [...new Set(spec.checks.map((c) => c.action))], resources: [...new Set(spec.checks.map((c) => c.resource))], verdict: "not-judged", reason: notJudgedReason(unknown), waitedOn: unknownKinds(unknown), fix: NOT_JUDGED_FIX });
                    continue;
                }
                const denied = verdicts.find((v) => !v.allowed);
                hops.push({
                    domain: spec.domain,
                    hop: spec.hop,
                    requirement: spec.requirement,
                    principal: spec.principal,
                    actions: [...new Set(spec.checks.map((c) => c.action))],
                    resources: [...new Set(spec.checks.map((c) => c.resource))],
                    verdict: denied ? "denied" : "allowed",
                    reason: denied ? `${denied.action} on ${denied.resource}: ${denied.reason}` : [...new Set(verdicts.map((v) => v.reason))].join("; "),
                    fix: spec.fix,
                    urn: spec.urn,
                    grants: denied ? [] : verdicts.flatMap((v) => v.grants),
                });
            }
        }
    }

    if (options.only) return summarise(plan, hops);

    for (const unknown of await iam.unknownActions()) {
        hops.push({
            domain: "platform",
            hop: "every action a policy names exists",
            requirement: "iam.known-actions",
            principal: unknown.policy,
            actions: [unknown.action],
            resources: [],
            verdict: "denied",
            reason: `${unknown.action} is not an IAM action: the statement grants nothing`,
            fix: `spell the action as the Service Authorization Reference does, or remove it`,
            urn: unknown.urn,
        });
    }

    for (const { ok, unknown, waitedOn, ...finding } of await lineageFindings(model, iam)) {
        hops.push({ ...finding, verdict: unknown ? "not-judged" : ok ? "connected" : "broken-lineage", ...(unknown ? { waitedOn: waitedOn ?? ["data path reference"] } : {}) });
    }

    for (const { status, ...finding } of await networkFindings(model, iam, specs)) {
        hops.push({ ...finding, verdict: status === "ok" ? "reachable" : status === "broken" ? "unreachable" : "not-judged", ...(status === "unknown" ? { waitedOn: ["network id (subnet, security group, route, endpoint)"] } : {}) });
    }

    const { personas, hops: personaHops } = await personaFindings(model, iam);
    hops.push(...personaHops);

    return summarise(plan, hops, personas);
}

/** What to do about a hop a preview could not judge. */
const NOT_JUDGED_FIX = "verify again once the plan knows these values (npm run verify without --preview, or after the resources exist)";

function summarise(plan: PlannedStack, hops: HopResult[], personas?: PersonaReport[]): VerificationReport {
    const broken = hops.filter(isBroken).length;
    const notJudged = hops.filter(isNotJudged).length;
    return { stack: plan.stack, summary: { hops: hops.length, verified: hops.length - broken - notJudged, broken, notJudged }, hops, ...(personas ? { personas } : {}) };
}
