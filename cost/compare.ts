import type { CostLine } from "./estimator";

/** The parts of an estimate a comparison needs. */
export interface ComparableEstimate {
    /** Label, e.g. the stack name. */
    label: string;
    /** Prefix of the environment's names (e.g. `lakehouse-prod`), replaced to align environments. */
    namePrefix: string;
    monthlyTotal: number;
    byComponent: Record<string, number>;
    lines: CostLine[];
}

export interface Difference {
    key: string;
    before: number;
    after: number;
    delta: number;
}

export interface Comparison {
    total: Difference;
    byComponent: Difference[];
    lines: Difference[];
}

const ENV = "<env>";

function normalise(text: string, prefix: string): string {
    return prefix ? text.split(prefix).join(ENV) : text;
}

function lineKeys(estimate: ComparableEstimate): Map<string, number> {
    const out = new Map<string, number>();
    for (const line of estimate.lines) {
        const resource = normalise(line.urn.split("::").pop() ?? line.urn, estimate.namePrefix);
        const key = `${resource} · ${line.priceKey}`;
        out.set(key, round((out.get(key) ?? 0) + (line.monthly ?? 0)));
    }
    return out;
}

function diff(before: Map<string, number>, after: Map<string, number>): Difference[] {
    const keys = new Set([...before.keys(), ...after.keys()]);
    return [...keys]
        .map((key) => {
            const b = before.get(key) ?? 0;
            const a = after.get(key) ?? 0;
            return { key, before: b, after: a, delta: round(a - b) };
        })
        .filter((d) => d.delta !== 0)
        .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.key.localeCompare(y.key));
}

/**
 * The monthly difference from `base` to `target`: in total, per component and per line, sorted by
 * impact. Names are aligned across environments by replacing each one's name prefix, so
 * `lakehouse-dev-lake` and `lakehouse-prod-lake` compare as the same component.
 */
export function compareEstimates(base: ComparableEstimate, target: ComparableEstimate): Comparison {
    const components = (e: ComparableEstimate) => new Map(Object.entries(e.byComponent).map(([k, v]) => [normalise(k, e.namePrefix), v]));
    return {
        total: { key: "total", before: base.monthlyTotal, after: target.monthlyTotal, delta: round(target.monthlyTotal - base.monthlyTotal) },
        byComponent: diff(components(base), components(target)),
        lines: diff(lineKeys(base), lineKeys(target)),
    };
}

function round(n: number): number {
    return Math.round(n * 100 + Number.EPSILON) / 100;
}
