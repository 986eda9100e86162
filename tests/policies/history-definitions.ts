/**
 * Definitions the history-event budget is tested on: the pre-scale design (every domain in one
 * execution, an inline Map, a fixed 15-second poll) and its parts.
 */

/** A task with the load's retry (4 attempts). */
const task = (resource: string, next: string | undefined, extra: Record<string, unknown> = {}) => ({
    Type: "Task",
    Resource: resource,
    Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 4 }],
    ...(next ? { Next: next } : { End: true }),
    ...extra,
});

/** One run's load: submit, then look every 15 s up to `polls` times, then mark it loaded. */
export function runLoad(polls: number) {
    return {
        StartAt: "LoadRun",
        States: {
            LoadRun: task("arn:aws:states:::aws-sdk:redshiftdata:batchExecuteStatement", "StartPolling"),
            StartPolling: { Type: "Pass", Parameters: { count: 0 }, ResultPath: "$.polls", Next: "WaitForLoad" },
            WaitForLoad: { Type: "Wait", Seconds: 15, Next: "DescribeLoad" },
            DescribeLoad: task("arn:aws:states:::aws-sdk:redshiftdata:describeStatement", "CountPoll"),
            CountPoll: { Type: "Pass", Parameters: { "count.$": "States.MathAdd($.polls.count, 1)" }, ResultPath: "$.polls", Next: "LoadFinished" },
            LoadFinished: {
                Type: "Choice",
                Choices: [
                    { Variable: "$.status.Status", StringEquals: "FINISHED", Next: "MarkRunLoaded" },
                    { Variable: "$.polls.count", NumericGreaterThanEquals: polls, Next: "LoadTimedOut" },
                ],
                Default: "WaitForLoad",
            },
            LoadTimedOut: { Type: "Fail", Error: "LoadTimedOut" },
            MarkRunLoaded: task("arn:aws:states:::dynamodb:updateItem", undefined),
        },
    };
}

/** Every domain in one execution: an inline Map over a literal list, each domain's job, its runs (a query with a Limit), each run's load. */
export function singleExecutionLoad(domains: number, runsPerLoad: number, polls: number, mode: "INLINE" | "DISTRIBUTED" = "INLINE") {
    return {
        StartAt: "ListDomains",
        States: {
            ListDomains: { Type: "Pass", Parameters: { domains: Array.from({ length: domains }, (_, i) => ({ name: `d${i}` })) }, ResultPath: "$.load", Next: "LoadDomains" },
            LoadDomains: {
                Type: "Map",
                ItemsPath: "$.load.domains",
                MaxConcurrency: 2,
                ItemProcessor: {
                    ProcessorConfig: mode === "INLINE" ? { Mode: "INLINE" } : { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
                    StartAt: "Transform",
                    States: {
                        Transform: task("arn:aws:states:::glue:startJobRun.sync", "FindPendingRuns"),
                        FindPendingRuns: task("arn:aws:states:::aws-sdk:dynamodb:query", "LoadPendingRuns", { Parameters: { TableName: "t", Limit: runsPerLoad }, ResultPath: "$.pending" }),
                        LoadPendingRuns: { Type: "Map", ItemsPath: "$.pending.Items", MaxConcurrency: 1, ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...runLoad(polls) }, End: true },
                    },
                },
                End: true,
            },
        },
    };
}
