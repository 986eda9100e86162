import type { ProgramRun, RecordedResource } from "../engine/run-program";

/**
 * The JSON document `npm run plan -- --json FILE` writes. Later sections (policy verdicts, cost)
 * are added as optional keys so consumers of the first version keep working.
 */
export interface PlanDocument {
    project: string;
    stack: string;
    resources: RecordedResource[];
    outputs: Record<string, unknown>;
}

export function planDocument(run: ProgramRun): PlanDocument {
    return { project: run.project, stack: run.stack, resources: run.resources, outputs: run.outputs };
}

/** Stable serialization: same program and config, byte-identical file. */
export function serializePlan(doc: PlanDocument): string {
    return `${JSON.stringify(doc, null, 2)}\n`;
}
