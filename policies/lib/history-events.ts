/**
 * The worst case of a Step Functions Standard execution's history, read from its definition: a
 * Standard execution fails once its history reaches 25,000 events
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, "Maximum execution
 * history size"), so a definition whose longest path can pass it fails exactly when it has the
 * most to do (a catch-up after an outage).
 *
 * The count per state follows the history event types Step Functions writes
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html): a Task
 * enters, is scheduled, starts, succeeds and exits (5; a `.sync` or `.waitForTaskToken`
 * integration is also submitted: 6), and each retry adds a schedule, a start and a failure (3);
 * Pass, Wait and Choice enter and exit (2); Succeed and Fail enter (and exit or fail the
 * execution, 2); an inline Map enters, starts, succeeds and exits (4) and adds, per iteration, a
 * start and a success (2) and its iteration's events; a Distributed Map runs each item as a child
 * execution with its own history, so it adds only its own map-run events (6) to the parent's; the
 * execution starts and ends (2).
 *
 * Loops (a Choice leading back) must be bounded by a Choice rule on a counter
 * (`NumericGreaterThanEquals` / `NumericGreaterThan` with a number, leading out of the loop), and
 * an inline Map's items by the definition: a literal list it iterates, or a query whose `Limit`
 * caps the list. What the definition leaves unbounded is reported, never guessed.
 */

/** The worst case of one execution (the parent, or one Distributed Map's child). */
export interface ExecutionBudget {
    /** `execution`, or `<Map state name> (each child execution)`. */
    scope: string;
    /** Worst-case events on the longest path, every loop and Map at its bound, every retry taken. */
    events: number;
    /** What keeps the count from being an upper bound: unbounded loops and Map item lists. */
    unbounded: string[];
}

type States = Record<string, any>;

const SYNC = /\.(sync|waitForTaskToken)(:\d+)?$/;

/** The worst case of every execution a definition runs: the execution itself, then each Distributed Map's children. */
export function historyBudgets(definition: any): ExecutionBudget[] {
    const budgets: ExecutionBudget[] = [];
    const unbounded: string[] = [];
    const events = 2 + blockEvents(definition, definition, unbounded, budgets);
    return [{ scope: "execution", events, unbounded }, ...budgets];
}

/** Events of one state's own work (a Map's iterations included), taken once. */
function stateEvents(name: string, state: any, root: any, unbounded: string[], budgets: ExecutionBudget[]): number {
    switch (state?.Type) {
        case "Task": {
            const retries = (Array.isArray(state.Retry) ? state.Retry : []).reduce((n: number, r: any) => n + Number(r?.MaxAttempts ?? 3), 0);
            return (SYNC.test(String(state.Resource ?? "")) ? 6 : 5) + 3 * retries;
        }
        case "Parallel":
            return 4 + (Array.isArray(state.Branches) ? state.Branches : []).reduce((n: number, b: any) => n + blockEvents(b, root, unbounded, budgets), 0);
        case "Map": {
            const processor = state.ItemProcessor ?? state.Iterator;
            if (processor?.ProcessorConfig?.Mode === "DISTRIBUTED") {
                const childUnbounded: string[] = [];
                budgets.push({ scope: `${name} (each child execution)`, events: 2 + blockEvents(processor, root, childUnbounded, budgets), unbounded: childUnbounded });
                return 6;
            }
            const items = mapItemBound(name, state, root);
            if (items === undefined) {
                unbounded.push(`Map ${name} iterates over ${state.ItemsPath ?? "its input"}, whose length the definition does not bound (give the query that produces it a Limit, or iterate a literal list)`);
                return 4;
            }
            return 4 + items * (2 + blockEvents(processor, root, unbounded, budgets));
        }
        default:
            return 2;
    }
}

/** The successors of a state: Next, Choice targets and Default, Catch targets. */
function successors(state: any): string[] {
    const next = [state?.Next, state?.Default, ...(state?.Choices ?? []).map((c: any) => c?.Next), ...(state?.Catch ?? []).map((c: any) => c?.Next)];
    return [...new Set(next.filter((n): n is string => typeof n === "string"))];
}

/** Worst-case events of a block (StartAt and States): the longest path, each loop at its bound. */
function blockEvents(block: any, root: any, unbounded: string[], budgets: ExecutionBudget[]): number {
    const states: States = block?.States ?? {};
    const names = Object.keys(states);
    const own = new Map(names.map((n) => [n, stateEvents(n, states[n], root, unbounded, budgets)]));
    const components = stronglyConnected(names, (n) => successors(states[n]).filter((s) => s in states));
    const componentOf = new Map<string, number>();
    components.forEach((members, i) => {
        for (const m of members) componentOf.set(m, i);
    });
    // A component's cost: its states once, or, for a loop, times the loop's bound.
    const cost = components.map((members) => {
        const sum = members.reduce((n, m) => n + (own.get(m) ?? 0), 0);
        const looping = members.length > 1 || successors(states[members[0]]).includes(members[0]);
        if (!looping) return sum;
        const bound = loopBound(members, states);
        if (bound === undefined) {
            unbounded.push(`the loop through ${members.join(", ")} has no bound (a Choice leaving it when a counter reaches a number)`);
            return sum;
        }
        return sum * bound;
    });
    const memo = new Map<number, number>();
    const longest = (component: number): number => {
        const known = memo.get(component);
        if (known !== undefined) return known;
        memo.set(component, cost[component]);
        const next = new Set(components[component].flatMap((m) => successors(states[m]).filter((s) => s in states).map((s) => componentOf.get(s)!)));
        next.delete(component);
        const value = cost[component] + Math.max(0, ...[...next].map(longest));
        memo.set(component, value);
        return value;
    };
    const start = componentOf.get(block?.StartAt);
    return start === undefined ? 0 : longest(start);
}

/** The iterations a loop can run: the number a Choice in it compares a counter with to leave it. */
function loopBound(members: string[], states: States): number | undefined {
    const inside = new Set(members);
    const bounds: number[] = [];
    for (const name of members) {
        const state = states[name];
        if (state?.Type !== "Choice") continue;
        for (const rule of state.Choices ?? []) {
            if (typeof rule?.Next !== "string" || inside.has(rule.Next)) continue;
            if (typeof rule.NumericGreaterThanEquals === "number") bounds.push(Math.max(1, Math.ceil(rule.NumericGreaterThanEquals)));
            else if (typeof rule.NumericGreaterThan === "number") bounds.push(Math.floor(rule.NumericGreaterThan) + 1);
        }
    }
    return bounds.length > 0 ? Math.min(...bounds) : undefined;
}

/**
 * The most items an inline Map iterates: a literal list at its ItemsPath (a Pass state's
 * Parameters or Result written at that path), or the `Limit` of the Task whose result holds it.
 */
function mapItemBound(_name: string, state: any, root: any): number | undefined {
    if (Array.isArray(state.Items)) return state.Items.length;
    const path = typeof state.ItemsPath === "string" ? state.ItemsPath : "$";
    for (const writer of allStates(root)) {
        const resultPath = typeof writer.ResultPath === "string" ? writer.ResultPath : undefined;
        if (!resultPath || !(path === resultPath || path.startsWith(`${resultPath}.`))) continue;
        const rest = path.slice(resultPath.length).replace(/^\./, "");
        if (writer.Type === "Pass") {
            const written = writer.Parameters ?? writer.Result;
            const value = rest ? rest.split(".").reduce((v: any, k: string) => v?.[k], written) : written;
            if (Array.isArray(value)) return value.length;
        }
        if (writer.Type === "Task" && typeof writer.Parameters?.Limit === "number") return writer.Parameters.Limit;
    }
    return undefined;
}

/** Every state of a definition, nested ones included. */
function allStates(block: any): any[] {
    const out: any[] = [];
    for (const state of Object.values<any>(block?.States ?? {})) {
        out.push(state);
        const nested = state?.ItemProcessor ?? state?.Iterator;
        if (nested) out.push(...allStates(nested));
        for (const branch of state?.Branches ?? []) out.push(...allStates(branch));
    }
    return out;
}

/** Tarjan's strongly connected components, in reverse topological order. */
function stronglyConnected(nodes: string[], next: (n: string) => string[]): string[][] {
    let index = 0;
    const indices = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const out: string[][] = [];
    const visit = (v: string) => {
        indices.set(v, index);
        low.set(v, index);
        index++;
        stack.push(v);
        onStack.add(v);
        for (const w of next(v)) {
            if (!indices.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
        }
        if (low.get(v) === indices.get(v)) {
            const component: string[] = [];
            let w: string;
            do {
                w = stack.pop()!;
                onStack.delete(w);
                component.push(w);
            } while (w !== v);
            out.push(component);
        }
    };
    for (const n of nodes) if (!indices.has(n)) visit(n);
    return out;
}
