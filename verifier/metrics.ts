/**
 * Alarms on custom metrics are only as good as their publishers: an alarm that treats missing
 * data as breaching, on a metric nothing publishes, fires forever; one that does not never fires.
 * For every custom metric an alarm reads, find what publishes it in the recorded program (a state
 * machine's PutMetricData task, or a Glue job handed the namespace) and check that its role may
 * publish to that namespace.
 */
import { taskStates } from "./definition";
import type { IamEvaluator } from "./iam";
import type { LineageFinding } from "./lineage";
import { notJudgedReason, type UnknownValue, unknownKinds } from "./unknown";
import type { PlanModel } from "./model";
import type { PlannedResource } from "./plan";

/** A custom metric an alarm reads. */
interface ReadMetric {
    namespace: string;
    metricName: string;
    dimensions: Record<string, string>;
    alarm: PlannedResource;
}

/** Something that publishes to a namespace, and the role it publishes with. */
interface Publisher {
    resource: PlannedResource;
    namespace: string;
    /**
     * What it publishes, with the dimension values fixed in its definition; undefined when the
     * metrics are in code the verifier does not read.
     */
    metrics?: { name: string; fixedDimensions: Record<string, string> }[];
    roleArn?: string;
    /** The domain a job is handed (its `--domain` argument), when it says. */
    domain?: string;
    how: string;
}

/** AWS services publish their own namespaces (`AWS/...`); everything else is published by someone's code. */
const isCustom = (namespace: unknown): namespace is string => typeof namespace === "string" && !namespace.startsWith("AWS/");

function metricsReadByAlarms(model: PlanModel): ReadMetric[] {
    const out: ReadMetric[] = [];
    for (const alarm of model.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
        const i = alarm.inputs;
        if (isCustom(i.namespace) && typeof i.metricName === "string") out.push({ namespace: i.namespace, metricName: i.metricName, dimensions: i.dimensions ?? {}, alarm });
        for (const query of Array.isArray(i.metricQueries) ? i.metricQueries : []) {
            const metric = query?.metric;
            if (isCustom(metric?.namespace) && typeof metric.metricName === "string") out.push({ namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions ?? {}, alarm });
        }
    }
    return out;
}

/** Dimensions whose value the definition fixes (not a JSONPath or JSONata expression). */
function fixedDimensions(dimensions: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of Array.isArray(dimensions) ? dimensions : []) {
        if (typeof d?.Name === "string" && typeof d.Value === "string" && !d.Value.includes("{%") && !("Value.$" in d)) out[d.Name] = d.Value;
    }
    return out;
}

/** Whether a publisher that names its metrics publishes the series an alarm reads. */
function publishesSeries(publisher: Publisher, read: ReadMetric): boolean {
    return (publisher.metrics ?? []).some((m) => m.name === read.metricName && Object.entries(m.fixedDimensions).every(([k, v]) => read.dimensions[k] === v));
}

function publishersOf(model: PlanModel): Publisher[] {
    const out: Publisher[] = [];
    for (const machine of model.ofType("aws:sfn/stateMachine:StateMachine")) {
        let definition: any;
        try {
            definition = typeof machine.inputs.definition === "string" ? JSON.parse(machine.inputs.definition) : machine.inputs.definition;
        } catch {
            continue;
        }
        for (const [, task] of taskStates(definition?.States)) {
            if (!String(task.Resource ?? "").endsWith(":cloudwatch:putMetricData")) continue;
            const args = task.Arguments ?? task.Parameters ?? {};
            if (typeof args.Namespace !== "string") continue;
            const metrics = (Array.isArray(args.MetricData) ? args.MetricData : [])
                .filter((d: any) => typeof d?.MetricName === "string")
                .map((d: any) => ({ name: d.MetricName as string, fixedDimensions: fixedDimensions(d.Dimensions) }));
            out.push({ resource: machine, namespace: args.Namespace, metrics, roleArn: machine.inputs.roleArn, how: `PutMetricData task of ${machine.name}` });
        }
    }
    for (const job of model.ofType("aws:glue/job:Job")) {
        for (const [key, value] of Object.entries<unknown>(job.inputs.defaultArguments ?? {})) {
            if (/namespace/i.test(key) && isCustom(value)) {
                const domain = job.inputs.defaultArguments?.["--domain"];
                out.push({ resource: job, namespace: value, roleArn: job.inputs.roleArn, domain: typeof domain === "string" ? domain : undefined, how: `Glue job ${job.name} (its ${key} argument; the script's metric names are not read)` });
            }
        }
    }
    return out;
}

/**
 * One finding per alarm on a custom metric: something publishes the series it reads, with a role
 * allowed to publish to its namespace. A series some definition names (metric and fixed
 * dimensions) is credited to those definitions alone; otherwise to the jobs handed the namespace.
 */
export async function publishedMetricFindings(model: PlanModel, iam: IamEvaluator): Promise<LineageFinding[]> {
    const publishers = publishersOf(model);
    const out: LineageFinding[] = [];
    for (const read of metricsReadByAlarms(model)) {
        const { namespace, metricName } = read;
        const inNamespace = publishers.filter((p) => p.namespace === namespace);
        const naming = inNamespace.filter((p) => publishesSeries(p, read));
        // A job handed a domain publishes that domain's series only.
        const candidates = naming.length > 0 ? naming : inNamespace.filter((p) => p.metrics === undefined && (p.domain === undefined || read.dimensions.Domain === undefined || p.domain === read.dimensions.Domain));
        const allowed: Publisher[] = [];
        const waited: UnknownValue[] = [];
        for (const p of candidates) {
            if (!p.roleArn) continue;
            const verdict = await iam.check(p.roleArn, { action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": namespace } });
            if (verdict.allowed) allowed.push(p);
            waited.push(...(verdict.unknown ?? []));
        }
        // A publisher whose role's permissions are unknown (a preview) may well be allowed.
        const unknown = allowed.length === 0 && waited.length > 0;
        const series = `${namespace}/${metricName}${Object.keys(read.dimensions).length ? ` {${Object.entries(read.dimensions).map(([k, v]) => `${k}=${v}`).join(", ")}}` : ""}`;
        out.push({
            requirement: "lineage.published-metrics",
            domain: typeof read.dimensions.Domain === "string" ? read.dimensions.Domain : "platform",
            hop: `${series}, read by alarm ${read.alarm.name}, is published`,
            principal: allowed[0]?.resource.name ?? candidates[0]?.resource.name ?? read.alarm.name,
            actions: ["cloudwatch:PutMetricData"],
            resources: [series],
            ok: allowed.length > 0,
            ...(unknown ? { unknown, waitedOn: unknownKinds(waited) } : {}),
            reason: unknown
                ? `${notJudgedReason(waited)} (${candidates.map((p) => p.how).join("; ")} would publish it)`
                : allowed.length > 0
                    ? `published by ${allowed.map((p) => p.how).join("; ")}`
                    : candidates.length > 0
                      ? `${candidates.map((p) => p.how).join("; ")} would publish it, but its role may not call cloudwatch:PutMetricData in ${namespace}`
                      : `nothing publishes ${series}: alarm ${read.alarm.name} can never see data`,
            fix: `publish ${metricName} to ${namespace} (a PutMetricData task or the job's code) from a role allowed cloudwatch:PutMetricData with cloudwatch:namespace ${namespace}`,
            urn: read.alarm.urn,
        });
    }
    return out;
}
