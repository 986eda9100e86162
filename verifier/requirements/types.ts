import type { AccessCheck, IamEvaluator } from "../iam";
import type { PlanModel } from "../model";
import type { PlannedResource } from "../plan";
import type { UnknownValue } from "../unknown";

/** One hop of a data path: a principal that must be able to make every one of its requests. */
export interface HopSpec {
    /** Requirement-table entry the hop comes from. */
    requirement: string;
    /** Data domain the hop serves (`platform` for shared hops such as the audit trail). */
    domain: string;
    /** What the hop does, e.g. `Firehose writes the raw zone`. */
    hop: string;
    /** Role ARN or service principal. */
    principal: string;
    /** Requests the principal makes. */
    checks: AccessCheck[];
    /** One line on what to change when the hop is denied. */
    fix: string;
    /** The resource the hop was derived from. */
    urn: string;
    /** Why the hop's target is not in the plan (the hop is then reported broken, whatever `checks` says). */
    unresolved?: string;
    /** What the plan does not know and the hop needs to be derived at all (a preview): the hop is then not judged. */
    unknown?: UnknownValue[];
}

/**
 * An entry of a requirement table: what a resource of one type needs its principal to be able to
 * do on the resources it names, derived from the resource's own inputs, with the AWS
 * documentation the requirement comes from.
 */
export interface Requirement {
    id: string;
    /** Resource type the hops are derived from. */
    resourceType: string;
    /** The principal and what it must be able to do, in one line. */
    summary: string;
    /** AWS documentation stating the requirement. */
    doc: string;
    /** The hops of one resource; `iam` finds principals by what they may do (e.g. every producer of a stream). */
    hops(resource: PlannedResource, model: PlanModel, iam: IamEvaluator): HopSpec[] | Promise<HopSpec[]>;
}
