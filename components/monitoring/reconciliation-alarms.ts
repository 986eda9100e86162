import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PIPELINE_METRICS_NAMESPACE } from "../../lib/pipeline-state";
import { RECONCILIATION_METRICS } from "../../lib/run-integrity";
import { runbookPointer } from "./runbooks";

/** Arguments of {@link ReconciliationAlarms}. */
export interface ReconciliationAlarmsArgs {
    /** Prefix of alarm names, e.g. `lakehouse-prod`. */
    namePrefix: string;
    /** Domains whose ETL runs publish their reconciliation (one alarm each). */
    domains: string[];
    /** Topic the alarm and its recovery notify (the platform's alert topic: data went missing or was doubled). */
    alertTopicArn: pulumi.Input<string>;
}

/**
 * One alarm per domain on the reconciliation its ETL runs publish (lib/run-integrity.ts): raw-in −
 * (curated + quarantined + duplicates) above 0 in any run. The run that finds a mismatch also fails
 * without committing, so the alarm says why a domain stopped advancing (docs/run-integrity.md).
 */
export class ReconciliationAlarms extends pulumi.ComponentResource {
    /** Alarm names by domain. */
    public readonly alarmNames: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: ReconciliationAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:monitoring:ReconciliationAlarms", name, {}, opts);
        this.alarmNames = {};
        for (const domain of args.domains) {
            const alarm = new aws.cloudwatch.MetricAlarm(
                `${name}-${domain}`,
                {
                    name: `${args.namePrefix}-reconciliation-${domain}`,
                    alarmDescription: `A ${domain} ETL run read rows it did not account for as curated, quarantined or duplicate (raw-in does not add up); the run failed without committing. ${runbookPointer(`reconciliation-${domain}`)}`,
                    namespace: PIPELINE_METRICS_NAMESPACE,
                    metricName: RECONCILIATION_METRICS.mismatch,
                    dimensions: { Domain: domain },
                    // A mismatch of either sign: the run publishes it as a count, Maximum over the runs of the period.
                    statistic: "Maximum",
                    period: 300,
                    evaluationPeriods: 1,
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                    // No run in the period is not a mismatch: the freshness alarms judge missing runs.
                    treatMissingData: "notBreaching",
                    alarmActions: [args.alertTopicArn],
                    okActions: [args.alertTopicArn],
                },
                { parent: this },
            );
            this.alarmNames[domain] = alarm.name;
        }
        this.registerOutputs({ alarmNames: this.alarmNames });
    }
}
