import { asArray, isFalse, isTrue } from "../lib/props";
import { historyBudgets } from "../lib/history-events";
import { resourceRule } from "../lib/rule";

const TRAIL = "aws:cloudtrail/trail:Trail";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";

/**
 * A state machine's definition, parsed, or the problem when it is not JSON. `props.definition` is
 * read outside the parse guard: in a preview an unknown definition throws the pack's unknown-value
 * error, which the rule wrapper reports as not judged; only a parse error means bad JSON.
 */
function parsedDefinition(props: Record<string, any>): { definition: any } | { invalid: string } {
    const raw: unknown = props.definition;
    if (typeof raw !== "string") return { definition: raw };
    try {
        return { definition: JSON.parse(raw) };
    } catch {
        return { invalid: "definition is not valid JSON" };
    }
}

/** Task states of an ASL definition, with whether an enclosing Map/Parallel catches their failure. */
function taskStates(states: Record<string, any>, enclosingCatch: boolean): { name: string; state: any; caught: boolean; handler: boolean }[] {
    const out: { name: string; state: any; caught: boolean; handler: boolean }[] = [];
    const handlers = failureHandlers(states);
    for (const [name, state] of Object.entries(states ?? {})) {
        const catches = asArray(state.Catch).length > 0;
        if (state.Type === "Task") out.push({ name, state, caught: catches || enclosingCatch, handler: handlers.has(name) });
        if (state.Type === "Map") out.push(...taskStates((state.ItemProcessor ?? state.Iterator)?.States, catches || enclosingCatch));
        if (state.Type === "Parallel") for (const branch of asArray(state.Branches) as any[]) out.push(...taskStates(branch.States, catches || enclosingCatch));
    }
    return out;
}

/** States of one scope (a definition, a Map's processor, a branch) that a Catch of that scope routes to: failure handlers, which need no Catch of their own. */
function failureHandlers(states: Record<string, any>): Set<string> {
    const handlers = new Set<string>();
    for (const state of Object.values(states ?? {})) for (const c of asArray(state.Catch) as any[]) handlers.add(c.Next);
    return handlers;
}

export const loggingPolicies = [
    resourceRule({
        name: "cloudtrail-multi-region-management-events",
        family: "LOG",
        severity: "high",
        description: "CloudTrail trails are multi-Region and record management events.",
        remediation: "Set isMultiRegionTrail true and keep a management-events selector.",
        refs: { fsbp: "CloudTrail.1", checkov: ["CKV_AWS_67"], config: "multi-region-cloudtrail-enabled" },
        types: [TRAIL],
        check: ({ props }) => {
            const problems: string[] = [];
            if (!isTrue(props.isMultiRegionTrail)) problems.push("trail is single-Region");
            const selectors = asArray(props.advancedEventSelectors) as any[];
            if (selectors.length > 0 && !selectors.some((s) => asArray(s.fieldSelectors).some((f: any) => f.field === "eventCategory" && asArray(f.equals).includes("Management")))) {
                problems.push("trail records no management events");
            }
            return problems;
        },
    }),
    resourceRule({
        name: "cloudtrail-logging-on",
        family: "LOG",
        severity: "high",
        description: "CloudTrail trails are logging (enableLogging is not false; the provider default is true).",
        remediation: "Remove enableLogging false, or set it to true.",
        refs: { fsbp: "CloudTrail.1", checkov: ["CKV_AWS_251"], config: "cloudtrail-enabled" },
        types: [TRAIL],
        check: ({ props }) => (isFalse(props.enableLogging) ? "trail is created with logging turned off" : undefined),
    }),
    resourceRule({
        name: "cloudtrail-kms",
        family: "ENC",
        severity: "medium",
        description: "CloudTrail log files are encrypted with a customer-managed key.",
        remediation: "Set kmsKeyId to the operations key.",
        refs: { fsbp: "CloudTrail.2", checkov: ["CKV_AWS_35"], config: "cloud-trail-encryption-enabled" },
        types: [TRAIL],
        check: ({ props }) => (props.kmsKeyId ? undefined : "log files are not KMS-encrypted"),
    }),
    resourceRule({
        name: "cloudtrail-log-validation",
        family: "DP",
        severity: "low",
        description: "CloudTrail log-file validation is on.",
        remediation: "Set enableLogFileValidation true.",
        refs: { fsbp: "CloudTrail.4", checkov: ["CKV_AWS_36"], config: "cloud-trail-log-file-validation-enabled" },
        types: [TRAIL],
        check: ({ props }) => (isTrue(props.enableLogFileValidation) ? undefined : "log-file validation is off"),
        remediate: (props) => (isTrue(props.enableLogFileValidation) ? undefined : { ...props, enableLogFileValidation: true }),
    }),
    resourceRule({
        name: "cloudtrail-cloudwatch-logs",
        family: "LOG",
        severity: "low",
        description: "CloudTrail delivers events to CloudWatch Logs.",
        remediation: "Set cloudWatchLogsGroupArn and cloudWatchLogsRoleArn.",
        refs: { fsbp: "CloudTrail.5", checkov: ["CKV2_AWS_10"], config: "cloud-trail-cloud-watch-logs-enabled" },
        types: [TRAIL],
        check: ({ props }) => (props.cloudWatchLogsGroupArn && props.cloudWatchLogsRoleArn ? undefined : "no CloudWatch Logs delivery"),
    }),
    resourceRule({
        name: "log-group-kms",
        family: "ENC",
        severity: "medium",
        description: "CloudWatch log groups are encrypted with a customer-managed key.",
        remediation: "Set kmsKeyId to the operations key (its policy admits CloudWatch Logs of this account).",
        refs: { checkov: ["CKV_AWS_158"], config: "cloudwatch-log-group-encrypted" },
        types: [LOG_GROUP],
        check: ({ props }) => (props.kmsKeyId ? undefined : "log group is not KMS-encrypted"),
    }),
    resourceRule({
        name: "log-group-retention",
        family: "LC",
        severity: "medium",
        description: "CloudWatch log groups keep events for a bounded period within the environment's limits.",
        remediation: "Set retentionInDays (lakehouse:logging.retentionDays) within the configured bounds.",
        refs: { fsbp: "CloudWatch.16†", checkov: ["CKV_AWS_66", "CKV_AWS_338"], config: "cw-loggroup-retention-period-check" },
        params: {
            minDays: { type: "number", description: "shortest accepted retention", default: 365 },
            maxDays: { type: "number", description: "longest accepted retention", default: 3653 },
        },
        types: [LOG_GROUP],
        check: ({ props }, params) => {
            const days = props.retentionInDays;
            if (!days) return "events are kept forever (no retention)";
            if (days < params.minDays) return `retention ${days} days is below ${params.minDays}`;
            return days > params.maxDays ? `retention ${days} days is above ${params.maxDays}` : undefined;
        },
    }),
    resourceRule({
        name: "sfn-logging",
        family: "LOG",
        severity: "medium",
        description: "Step Functions state machines log executions to CloudWatch Logs.",
        remediation: "Set loggingConfiguration { level: ALL or ERROR, logDestination: '<log group arn>:*' }.",
        refs: { fsbp: "StepFunctions.1", checkov: ["CKV_AWS_285"], controlTower: "CT.STEPFUNCTIONS.PR.1" },
        types: [STATE_MACHINE],
        check: ({ props }) => {
            const logging = props.loggingConfiguration;
            return logging?.logDestination && (logging.level ?? "OFF") !== "OFF" ? undefined : "execution logging is off";
        },
    }),
    resourceRule({
        name: "sfn-tracing",
        family: "LOG",
        severity: "low",
        description: "Step Functions state machines have X-Ray tracing on.",
        remediation: "Set tracingConfiguration.enabled true.",
        refs: { checkov: ["CKV_AWS_284"], controlTower: "CT.STEPFUNCTIONS.PR.2" },
        types: [STATE_MACHINE],
        check: ({ props }) => (isTrue(props.tracingConfiguration?.enabled) ? undefined : "X-Ray tracing is off"),
    }),
    resourceRule({
        name: "sfn-history-event-budget",
        family: "HA",
        severity: "high",
        description:
            "A Standard state machine's worst-case execution history (the longest path, every loop and inline Map at its bound, every retry taken; each Distributed Map child on its own) stays within the 25,000 events an execution may write.",
        remediation:
            "Move per-item work into a Distributed Map (each item a child execution with its own history), bound loops with a Choice on a counter and inline Maps with a query Limit, and poll with growing waits instead of a fixed short one.",
        refs: { isNew: true },
        params: { maxEvents: { type: "number", description: "events an execution may write (Step Functions' hard quota for Standard workflows)", default: 25_000 } },
        types: [STATE_MACHINE],
        check: ({ props }, params) => {
            // Express workflows keep no execution history in Step Functions.
            if (props.type === "EXPRESS") return undefined;
            const parsed = parsedDefinition(props);
            if ("invalid" in parsed) return parsed.invalid;
            const problems: string[] = [];
            for (const budget of historyBudgets(parsed.definition)) {
                for (const reason of budget.unbounded) problems.push(`${budget.scope}: ${reason}`);
                if (budget.events > params.maxEvents) problems.push(`${budget.scope}: up to ${budget.events.toLocaleString("en-US")} history events, above ${Number(params.maxEvents).toLocaleString("en-US")}`);
            }
            return problems;
        },
    }),
    resourceRule({
        name: "sfn-retry-and-catch",
        family: "HA",
        severity: "medium",
        description: "Every Task state retries with backoff, and every failure is caught (by the task or an enclosing Map/Parallel) except in failure handlers.",
        remediation: "Add Retry [{ ErrorEquals: <transient errors>, IntervalSeconds, BackoffRate >= 2, MaxAttempts }] to each Task and a Catch routing to an alert.",
        refs: { isNew: true },
        types: [STATE_MACHINE],
        check: ({ props }) => {
            const parsed = parsedDefinition(props);
            if ("invalid" in parsed) return parsed.invalid;
            const problems: string[] = [];
            for (const { name, state, caught, handler } of taskStates(parsed.definition?.States, false)) {
                const retries = asArray(state.Retry) as any[];
                if (retries.length === 0) problems.push(`task ${name} has no Retry`);
                else if (retries.some((r) => Number(r.BackoffRate ?? 2) < 1.5)) problems.push(`task ${name} retries without exponential backoff`);
                if (!caught && !handler) problems.push(`task ${name} failures are not caught`);
            }
            return problems;
        },
    }),
];
