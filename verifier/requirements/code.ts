import { CODE_CALLS, callContext, codeOf } from "../code-calls";
import type { PlanModel } from "../model";
import type { PlannedResource } from "../plan";
import { jobDomain } from "./glue";
import type { HopSpec, Requirement } from "./types";

/** The Service Authorization Reference: which IAM actions (and resources, condition keys) each API call is authorised as. */
const AUTHORIZATION_DOC = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html";

/** One hop per call of the code table the resource runs: the role may make it on the target its settings name. */
function codeHops(resource: PlannedResource, model: PlanModel, requirement: string, role: unknown, domain: string, runs: string): HopSpec[] {
    if (typeof role !== "string" || role === "") return [];
    const context = callContext(model, resource);
    return codeOf(model, resource).flatMap((entry) =>
        entry.calls.map((call): HopSpec => {
            const checks = call.checks(context);
            const base = { requirement, domain, principal: role, urn: resource.urn, hop: `${runs} calls ${call.call}${call.via === "sdk" ? "" : ` (through ${call.via.split(" ")[0]})`}` };
            if (typeof checks === "string") return { ...base, checks: [], unresolved: `${entry.source} calls ${call.call} on ${call.target}, but ${checks}`, fix: `set what names ${call.target}, or stop calling it` };
            return { ...base, checks, fix: `allow the role ${[...new Set(checks.map((c) => c.action))].join(", ")} on ${call.target}` };
        }),
    );
}

export const codeRequirements: Requirement[] = [
    {
        id: "code.glue-job",
        resourceType: "aws:glue/job:Job",
        summary: `Every AWS call of the job's script, from the code-call table (${CODE_CALLS.filter((e) => e.runtime === "glue-job").flatMap((e) => e.calls.map((c) => c.call)).filter((c, i, all) => all.indexOf(c) === i).join(", ")}), is allowed to the job role on the target its arguments name.`,
        doc: AUTHORIZATION_DOC,
        hops: (job, model) => codeHops(job, model, "code.glue-job", job.inputs.roleArn, jobDomain(job), "the job's script"),
    },
    {
        id: "code.lambda",
        resourceType: "aws:lambda/function:Function",
        summary: "Every AWS call of a function's handler, from the code-call table, is allowed to the function's role on the target its environment (or bundled configuration) names.",
        doc: AUTHORIZATION_DOC,
        hops: (fn, model) => codeHops(fn, model, "code.lambda", fn.inputs.role, "platform", `${fn.inputs.name ?? fn.name}'s handler`),
    },
];
