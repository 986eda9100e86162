import type { ComponentNode } from "../../cost/components";
import type { RecordedResource } from "../engine/run-program";

/** Component a custom resource belongs to: its nearest component ancestor (or the stack). */
export function owningComponent(resource: RecordedResource, byUrn: Map<string, RecordedResource>): RecordedResource | undefined {
    let parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    while (parent && (parent.custom || parent.type.startsWith("pulumi:providers:"))) {
        parent = parent.parent ? byUrn.get(parent.parent) : undefined;
    }
    return parent;
}

/** The component ancestors of a recorded resource, outermost first (the stack excluded). */
export function componentChain(resource: RecordedResource, byUrn: Map<string, RecordedResource>): ComponentNode[] {
    const chain: ComponentNode[] = [];
    let node = resource.parent ? byUrn.get(resource.parent) : undefined;
    while (node && node.type !== "pulumi:pulumi:Stack") {
        if (!node.custom) chain.unshift({ name: node.name, type: node.type });
        node = node.parent ? byUrn.get(node.parent) : undefined;
    }
    return chain;
}

/**
 * Custom resources grouped by the component that owns them (`name (Type)`, or `(stack)`), then
 * by short type, with counts: what the summary and the markdown comment both list.
 */
export function resourcesByComponent(resources: RecordedResource[], label: (type: string) => string): Map<string, Map<string, number>> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const groups = new Map<string, Map<string, number>>();
    for (const resource of resources) {
        if (!resource.custom || resource.type.startsWith("pulumi:providers:")) continue;
        const owner = owningComponent(resource, byUrn);
        const name = owner && owner.type !== "pulumi:pulumi:Stack" ? `${owner.name} (${label(owner.type)})` : "(stack)";
        const types = groups.get(name) ?? new Map<string, number>();
        types.set(label(resource.type), (types.get(label(resource.type)) ?? 0) + 1);
        groups.set(name, types);
    }
    return groups;
}
