import { asArray, isTrue } from "../lib/props";
import { resourceRule } from "../lib/rule";

const TABLE = "aws:dynamodb/table:Table";
const FUNCTION = "aws:lambda/function:Function";
const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
const STATEMENT = "aws:redshiftdata/statement:Statement";

/** Lambda runtimes AWS supports without a deprecation date in sight (Node.js, Python, Java). */
const SUPPORTED_RUNTIMES = ["nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "python3.14", "java21", "java25"];

export const functionAndStatePolicies = [
    resourceRule({
        name: "dynamodb-kms-cmk",
        family: "ENC",
        severity: "medium",
        description: "DynamoDB tables are encrypted with a customer-managed KMS key.",
        remediation: "Set serverSideEncryption { enabled: true, kmsKeyArn: <the platform key> }.",
        refs: { checkov: ["CKV_AWS_119"], config: "dynamodb-table-encrypted-kms" },
        types: [TABLE],
        check: ({ props }) => (isTrue(props.serverSideEncryption?.enabled) && props.serverSideEncryption?.kmsKeyArn ? undefined : "the table is not encrypted with a customer-managed key"),
    }),
    resourceRule({
        name: "dynamodb-point-in-time-recovery",
        family: "DP",
        severity: "medium",
        description: "DynamoDB tables have point-in-time recovery.",
        remediation: "Set pointInTimeRecovery.enabled true.",
        refs: { fsbp: "DynamoDB.2", checkov: ["CKV_AWS_28"], config: "dynamodb-pitr-enabled" },
        types: [TABLE],
        check: ({ props }) => (isTrue(props.pointInTimeRecovery?.enabled) ? undefined : "point-in-time recovery is off"),
    }),
    resourceRule({
        name: "dynamodb-deletion-protection",
        family: "DP",
        severity: "medium",
        description: "DynamoDB tables have deletion protection.",
        remediation: "Set deletionProtectionEnabled true (lakehouse:protection.protect sets it where the environment protects data).",
        refs: { fsbp: "DynamoDB.6", config: "dynamodb-table-deletion-protection-enabled" },
        types: [TABLE],
        check: ({ props }) => (isTrue(props.deletionProtectionEnabled) ? undefined : "deletion protection is off"),
    }),
    resourceRule({
        name: "lambda-environment-cmk",
        family: "ENC",
        severity: "medium",
        description: "Lambda functions with environment variables encrypt them with a customer-managed key.",
        remediation: "Set kmsKeyArn to the platform's operations key.",
        refs: { checkov: ["CKV_AWS_173"] },
        types: [FUNCTION],
        check: ({ props }) => (Object.keys(props.environment?.variables ?? {}).length > 0 && !props.kmsKeyArn ? "environment variables are encrypted with the AWS-managed key" : undefined),
    }),
    resourceRule({
        name: "lambda-tracing",
        family: "LOG",
        severity: "low",
        description: "Lambda functions have X-Ray active tracing.",
        remediation: 'Set tracingConfig.mode "Active".',
        refs: { checkov: ["CKV_AWS_50"] },
        types: [FUNCTION],
        check: ({ props }) => (props.tracingConfig?.mode === "Active" ? undefined : "active tracing is off"),
    }),
    resourceRule({
        name: "lambda-reserved-concurrency",
        family: "HA",
        severity: "low",
        description: "Lambda functions reserve their concurrency, so one cannot starve the account's others (nor be starved).",
        remediation: "Set reservedConcurrentExecutions where the account's concurrency quota leaves Lambda its 100 unreserved executions (lakehouse:orchestration.validator.reservedConcurrency and accountConcurrencyQuota).",
        refs: { checkov: ["CKV_AWS_115"] },
        types: [FUNCTION],
        check: ({ props }) => (Number(props.reservedConcurrentExecutions ?? -1) > 0 ? undefined : "no reserved concurrency"),
    }),
    resourceRule({
        name: "lambda-in-vpc",
        family: "NET",
        severity: "medium",
        description: "Lambda functions run in the platform VPC's private subnets.",
        remediation: "Set vpcConfig with the private subnet ids and a security group.",
        refs: { fsbp: "Lambda.3", checkov: ["CKV_AWS_117"], config: "lambda-inside-vpc" },
        types: [FUNCTION],
        check: ({ props }) => (asArray(props.vpcConfig?.subnetIds).length > 0 ? undefined : "the function is not in a VPC"),
    }),
    resourceRule({
        name: "lambda-supported-runtime",
        family: "PATCH",
        severity: "medium",
        description: "Lambda functions use a supported runtime.",
        remediation: "Move the function to a supported runtime (nodejs22.x for the ingestion validator).",
        refs: { fsbp: "Lambda.2", config: "lambda-function-settings-check" },
        params: { runtimes: { type: "array", items: { type: "string" }, description: "runtimes allowed", default: SUPPORTED_RUNTIMES } },
        types: [FUNCTION],
        check: ({ props }, params) => (props.runtime === undefined || (params.runtimes as string[]).includes(props.runtime) ? undefined : `runtime ${props.runtime} is not one of ${(params.runtimes as string[]).join(", ")}`),
    }),
    resourceRule({
        name: "lambda-sqs-partial-batch-response",
        family: "HA",
        severity: "medium",
        description: "SQS event source mappings report partial batch failures, so one bad message does not redeliver its whole batch.",
        remediation: 'Set functionResponseTypes ["ReportBatchItemFailures"] and return batchItemFailures from the function.',
        refs: { isNew: true },
        types: [MAPPING],
        check: ({ props }) =>
            String(props.eventSourceArn ?? "").includes(":sqs:") && !asArray(props.functionResponseTypes).includes("ReportBatchItemFailures") ? "the mapping redelivers whole batches" : undefined,
    }),
    resourceRule({
        name: "redshift-statement-no-password",
        family: "ACC",
        severity: "high",
        description: "SQL run through the Redshift Data API at deploy time sets no literal password (it would sit in state and the console's query history).",
        remediation: "Create users with PASSWORD DISABLE and sign them in with IAM, or take passwords from Secrets Manager.",
        refs: { isNew: true },
        types: [STATEMENT],
        check: ({ props }) => (/\bPASSWORD\s+'/i.test(String(props.sql ?? "")) ? "the statement sets a literal password" : undefined),
    }),
];
