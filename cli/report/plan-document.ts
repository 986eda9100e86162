import type { PlanMode, ProgramRun, RecordedResource } from "../engine/run-program";
import type { CostSection } from "./cost-section";
import type { VerificationReport } from "../../verifier";
import type { PolicySection } from "./policy-report";
import type { QuotaSection } from "./quota-section";

/**
 * The JSON document `npm run plan -- --json FILE` writes. Later sections (policy verdicts, cost)
 * are added as optional keys so consumers of the first version keep working.
 */
export interface PlanDocument {
    project: string;
    stack: string;
    resources: RecordedResource[];
    outputs: Record<string, unknown>;
    /**
     * `up`: planned as `pulumi up` sees the program (every output known); `preview`: as `pulumi
     * preview` of a new stack does (ids and computed outputs `[unknown]`). Absent in older plans: `up`.
     */
    mode?: PlanMode;
    /** Policy verdicts, when the plan evaluated a pack. */
    policies?: PolicySection;
    /** The monthly cost estimate. */
    cost?: CostSection;
    /** Whether every hop of every data path is wired and permitted (the pipeline verifier). */
    verification?: VerificationReport;
    /** Usage of each AWS service quota the platform consumes, against its declared or default limit. */
    quotas?: QuotaSection;
}

export function planDocument(run: ProgramRun, sections: { policies?: PolicySection; cost?: CostSection; verification?: VerificationReport; quotas?: QuotaSection } = {}): PlanDocument {
    return { project: run.project, stack: run.stack, resources: run.resources, outputs: run.outputs, mode: run.mode, ...sections };
}

/** Stable serialization: same program and config, byte-identical file. */
export function serializePlan(doc: PlanDocument): string {
    return `${JSON.stringify(doc, null, 2)}\n`;
}
