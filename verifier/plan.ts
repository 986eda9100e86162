/**
 * The verifier's input: a recorded plan, as `npm run plan -- --json` writes it. The verifier reads
 * only what the engine recorded (types, inputs, ids, synthesized outputs, the stack's outputs and
 * cost section), never the blueprint's components, so it judges any team's program alike.
 */

/** One recorded resource. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent: string | null;
    inputs: Record<string, any>;
    /** Physical id (absent in plans written before ids were recorded). */
    id?: string | null;
    /** Outputs the provider adds to the inputs (ARNs, generated names). */
    outputs?: Record<string, any>;
    /** Per input, the resources its value came from: how a preview's unknown reference is traced to its resource. */
    propertyDependencies?: Record<string, string[]>;
}

/** A cost line, as far as the verifier reads it (declared enhanced fan-out consumers). */
export interface PlannedCostLine {
    urn: string;
    type: string;
    priceKey: string;
    item: string;
}

/** A recorded plan. */
export interface PlannedStack {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, any>;
    cost?: { lines: PlannedCostLine[] };
    /** `preview` when planned as `pulumi preview` of a new stack (ids and computed outputs unknown). */
    mode?: "up" | "preview";
}

/** Raised for a plan document the verifier cannot read. */
export class PlanFormatError extends Error {}

/** Checks the shape of a parsed plan JSON and returns it typed. */
export function asPlannedStack(document: unknown, source: string): PlannedStack {
    const doc = document as Partial<PlannedStack> | null;
    if (!doc || typeof doc !== "object" || !Array.isArray(doc.resources) || typeof doc.stack !== "string") {
        throw new PlanFormatError(`${source}: not a plan JSON (expected { project, stack, resources: [...] } as written by npm run plan -- --json)`);
    }
    if (doc.resources.some((r) => r.custom && !("outputs" in r))) {
        throw new PlanFormatError(`${source}: the plan records no resource outputs; write it again with this version (npm run plan -- --json)`);
    }
    return { project: doc.project ?? "", stack: doc.stack, resources: doc.resources, outputs: doc.outputs ?? {}, cost: doc.cost, mode: doc.mode };
}
