/**
 * The pipeline verifier: proves, from a recorded plan alone, that every hop of every data path is
 * wired and permitted. Permission hops come from requirement tables per resource type and are
 * evaluated by a maintained IAM simulator (identity, resource and key policies together); lineage
 * checks compare what writers write with what readers read. It imports nothing from components/:
 * it judges any program by what it would deploy.
 */
import { IamEvaluator } from "./iam";
import { lineageFindings } from "./lineage";
import { PlanModel } from "./model";
import type { PlannedStack } from "./plan";
import { REQUIREMENTS } from "./requirements";

export { asPlannedStack, PlanFormatError, type PlannedStack } from "./plan";
export { REQUIREMENTS } from "./requirements";

/** How a hop fared: permission hops are allowed or denied, lineage hops connected or broken. */
export type Verdict = "allowed" | "denied" | "connected" | "broken-lineage";

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
}

/** The verifier's report; `npm run verify -- --json` writes it. */
export interface VerificationReport {
    stack: string;
    summary: { hops: number; verified: number; broken: number };
    hops: HopResult[];
}

/** True when a hop does not work. */
export const isBroken = (hop: Pick<HopResult, "verdict">) => hop.verdict === "denied" || hop.verdict === "broken-lineage";

/** Options of {@link verifyPlan}. */
export interface VerifyOptions {
    /** Evaluate only these requirement-table entries (no lineage, no action check): for focused tests. */
    only?: string[];
}

/** Verifies every hop of a recorded plan. */
export async function verifyPlan(plan: PlannedStack, options: VerifyOptions = {}): Promise<VerificationReport> {
    const model = new PlanModel(plan);
    const iam = new IamEvaluator(model);
    const hops: HopResult[] = [];

    for (const requirement of REQUIREMENTS.filter((r) => !options.only || options.only.includes(r.id))) {
        for (const resource of model.ofType(requirement.resourceType)) {
            for (const spec of await requirement.hops(resource, model, iam)) {
                const verdicts = await Promise.all(spec.checks.map((check) => iam.check(spec.principal, check)));
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

    for (const { ok, ...finding } of await lineageFindings(model, iam)) {
        hops.push({ ...finding, verdict: ok ? "connected" : "broken-lineage" });
    }

    return summarise(plan, hops);
}

function summarise(plan: PlannedStack, hops: HopResult[]): VerificationReport {
    const broken = hops.filter(isBroken).length;
    return { stack: plan.stack, summary: { hops: hops.length, verified: hops.length - broken, broken }, hops };
}
