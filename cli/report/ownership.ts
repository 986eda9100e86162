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
