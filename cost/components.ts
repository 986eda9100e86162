/**
 * Which component a cost line is reported under. A resource's chain of component ancestors
 * (outermost first) is trimmed of the part every priced resource shares, so a program that wraps
 * everything in one component (such as a platform composed of areas) is reported by area, and a
 * program with resources at the top level is reported by top-level component.
 */

/** One component ancestor of a resource. */
export interface ComponentNode {
    name: string;
    type: string;
}

/** Label of a component in cost figures: `<name> (<type>)`; `(stack)` for resources outside any component. */
export function componentLabel(node: ComponentNode | undefined): string {
    return node ? `${node.name} (${node.type})` : "(stack)";
}

/**
 * For each chain of component ancestors (outermost first), the label of the component its cost
 * is reported under: the first ancestor below the ancestors common to every chain, or the
 * innermost common one for a resource that sits directly in it.
 */
export function reportingComponents(chains: ComponentNode[][]): string[] {
    const shared = commonPrefixLength(chains);
    return chains.map((chain) => componentLabel(chain[shared] ?? chain[shared - 1]));
}

function commonPrefixLength(chains: ComponentNode[][]): number {
    if (chains.length === 0) return 0;
    const same = (a: ComponentNode, b: ComponentNode) => a.name === b.name && a.type === b.type;
    let length = 0;
    for (;;) {
        const first = chains[0][length];
        if (!first || !chains.every((chain) => chain[length] && same(chain[length], first))) return length;
        length++;
    }
}
