import { allStates, copyStatements, type ResolvedTask, resolvedTasks, s3ItemReader, taskSql } from "../definition";
import type { AccessCheck } from "../iam";
import type { PlanModel } from "../model";
import type { PlannedResource } from "../plan";
import { s3Arn } from "../arn";
import { assumeRole, kmsViaS3, readLocation, writeLocation } from "./common";
import type { HopSpec, Requirement } from "./types";

const TYPE = "aws:sfn/stateMachine:StateMachine";
const SERVICE_INTEGRATION_DOC = "https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html";

function spec(sm: PlannedResource, domain: string | undefined, requirement: string, hop: string, principal: string, checks: AccessCheck[], fix: string): HopSpec {
    return { requirement, domain: domain ?? "platform", hop, principal, checks, fix, urn: sm.urn };
}

/** The ARN a Glue job name resolves to in this account. */
function glueJobArn(model: PlanModel, name: string): string {
    return `arn:${model.partition}:glue:${model.region}:${model.accountId}:job/${name}`;
}

/** The IAM action an SDK integration's operation is authorised as: `dynamodb` + `updateItem` → `dynamodb:UpdateItem`. */
function sdkAction(service: string, operation: string): string {
    return `${service}:${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
}

/** The KMS requests a principal makes to publish to an SNS topic encrypted with a key. */
export function topicKeyChecks(model: PlanModel, topicArn: string): AccessCheck[] {
    const topic = model.findByArn(topicArn);
    const key = topic ? model.keyArn(topic.inputs.kmsMasterKeyId) : undefined;
    if (!key) return [];
    return ["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({ action, resource: key, context: { "kms:ViaService": `sns.${model.region}.amazonaws.com` } }));
}

/** The KMS requests a principal makes to send to an SQS queue encrypted with a key. */
export function queueKeyChecks(model: PlanModel, queueArn: string, actions = ["kms:GenerateDataKey", "kms:Decrypt"]): AccessCheck[] {
    const queue = model.findByArn(queueArn);
    const key = queue ? model.keyArn(queue.inputs.kmsMasterKeyId) : undefined;
    if (!key) return [];
    return actions.map((action) => ({ action, resource: key, context: { "kms:ViaService": `sqs.${model.region}.amazonaws.com` } }));
}

/** The key a state machine's data is encrypted with, when it is customer-managed. */
export function stateMachineKey(model: PlanModel, sm: PlannedResource | undefined): string | undefined {
    const encryption = sm?.inputs.encryptionConfiguration;
    return encryption?.type === "CUSTOMER_MANAGED_KMS_KEY" ? model.keyArn(encryption.kmsKeyId) : undefined;
}

/** The KMS requests made with a state machine's customer-managed key, with the context Step Functions sends. */
export function stateMachineKeyChecks(model: PlanModel, sm: PlannedResource, actions: string[]): AccessCheck[] {
    const key = stateMachineKey(model, sm);
    const arn = model.arnOf(sm);
    if (!key || !arn) return [];
    return actions.map((action) => ({ action, resource: key, context: { "kms:ViaService": `states.${model.region}.amazonaws.com`, "kms:EncryptionContext:aws:states:stateMachineArn": arn } }));
}

/** Requests of the Redshift Data API to run a statement (or a batch) on a cluster or workgroup. */
function dataApiChecks(model: PlanModel, parameters: Record<string, any>, run: string): AccessCheck[] {
    const base = `arn:${model.partition}:redshift:${model.region}:${model.accountId}`;
    if (typeof parameters.ClusterIdentifier === "string") {
        const cluster = parameters.ClusterIdentifier;
        return [
            { action: run, resource: `${base}:cluster:${cluster}` },
            ...(typeof parameters.DbUser === "string"
                ? [
                      { action: "redshift:GetClusterCredentials", resource: `${base}:dbuser:${cluster}/${parameters.DbUser}` },
                      { action: "redshift:GetClusterCredentials", resource: `${base}:dbname:${cluster}/${parameters.Database}` },
                  ]
                : []),
            ...(typeof parameters.SecretArn === "string" ? [{ action: "secretsmanager:GetSecretValue", resource: parameters.SecretArn }] : []),
        ];
    }
    if (typeof parameters.WorkgroupName === "string") {
        const workgroup = model.ofType("aws:redshiftserverless/workgroup:Workgroup").find((w) => w.inputs.workgroupName === parameters.WorkgroupName);
        const arn = workgroup ? model.arnOf(workgroup) : undefined;
        if (!arn) return [];
        return [
            { action: run, resource: arn },
            ...(typeof parameters.SecretArn === "string" ? [{ action: "secretsmanager:GetSecretValue", resource: parameters.SecretArn }] : [{ action: "redshift-serverless:GetCredentials", resource: arn }]),
        ];
    }
    return [];
}

export const stateMachineRequirements: Requirement[] = [
    {
        id: "states.execution-role",
        resourceType: TYPE,
        summary: "Step Functions assumes the execution role, which may use the state machine's customer-managed key (kms:Decrypt, GenerateDataKey with the state machine ARN as encryption context).",
        doc: "https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html",
        hops: (sm, model) => {
            const role = String(sm.inputs.roleArn ?? "");
            if (!role) return [];
            return [
                spec(sm, undefined, "states.execution-role", "the state machine runs", "states.amazonaws.com", [assumeRole(model, role, model.arnOf(sm))], "let states.amazonaws.com assume the execution role"),
                ...(stateMachineKey(model, sm)
                    ? [
                          spec(
                              sm,
                              undefined,
                              "states.execution-role",
                              "the state machine reads its encrypted data",
                              role,
                              stateMachineKeyChecks(model, sm, ["kms:Decrypt", "kms:GenerateDataKey"]),
                              "allow the execution role kms:Decrypt and kms:GenerateDataKey on the state machine's key",
                          ),
                      ]
                    : []),
            ];
        },
    },
    {
        id: "states.glue-job",
        resourceType: TYPE,
        summary: "A Glue task (.sync) starts, polls and stops the job: glue:StartJobRun, GetJobRun, GetJobRuns, BatchStopJobRun.",
        doc: "https://docs.aws.amazon.com/step-functions/latest/dg/glue-iam.html",
        hops: (sm, model) =>
            resolvedTasks(model.definitionOf(sm))
                .filter((t) => t.resource.includes(":::glue:startJobRun"))
                .map((t) => {
                    const job = glueJobArn(model, String(t.parameters.JobName));
                    const actions = t.resource.endsWith(".sync") ? ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"] : ["glue:StartJobRun"];
                    return spec(sm, t.item, "states.glue-job", `the state machine runs Glue job ${t.parameters.JobName}`, String(sm.inputs.roleArn), actions.map((action) => ({ action, resource: job })), `allow the execution role ${actions.join(", ")} on ${job}`);
                }),
    },
    {
        id: "states.redshift-data",
        resourceType: TYPE,
        summary: "A Redshift Data API task runs its statement or batch: redshift-data:ExecuteStatement or BatchExecuteStatement with temporary credentials (GetClusterCredentials or GetCredentials) and DescribeStatement.",
        doc: "https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html",
        hops: (sm, model) =>
            resolvedTasks(model.definitionOf(sm))
                .filter((t) => /:::aws-sdk:redshiftdata:(executeStatement|batchExecuteStatement|describeStatement)$/.test(t.resource))
                .map((t) => {
                    const operation = t.resource.slice(t.resource.lastIndexOf(":") + 1);
                    const action = sdkAction("redshift-data", operation);
                    const checks = operation === "describeStatement" ? [{ action, resource: "*" }] : dataApiChecks(model, t.parameters as Record<string, any>, action);
                    return spec(sm, t.item, "states.redshift-data", `the state machine runs ${t.state} in the warehouse`, String(sm.inputs.roleArn), checks, "allow the execution role the Data API and temporary-credential actions on the warehouse");
                }),
    },
    {
        id: "states.distributed-map",
        resourceType: TYPE,
        summary:
            "A Distributed Map runs each item as a child execution of the same state machine: the execution role starts executions of it (states:StartExecution on the state machine) and watches and stops its children (states:DescribeExecution, StopExecution on its executions).",
        doc: "https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html",
        hops: (sm, model) => {
            const arn = model.arnOf(sm);
            const role = String(sm.inputs.roleArn ?? "");
            if (!arn || !role) return [];
            // A child's ARN: execution:<state machine name>/<map run label>:<child name>.
            const execution = `${arn.replace(":stateMachine:", ":execution:")}`;
            return distributedMaps(model.definitionOf(sm)).map((map) =>
                spec(
                    sm,
                    undefined,
                    "states.distributed-map",
                    `the state machine runs the items of ${map.name} as child executions`,
                    role,
                    [
                        { action: "states:StartExecution", resource: arn },
                        { action: "states:DescribeExecution", resource: `${execution}/${map.label}:child` },
                        { action: "states:StopExecution", resource: `${execution}/${map.label}:child` },
                    ],
                    `allow the execution role states:StartExecution on ${arn} and states:DescribeExecution, StopExecution on ${execution}/*`,
                ),
            );
        },
    },
    {
        id: "states.item-reader",
        resourceType: TYPE,
        summary: "A Map that reads its items from an S3 object (ItemReader s3:getObject) reads it with the execution role: s3:GetObject on the object, and kms:Decrypt through S3 for an SSE-KMS object.",
        doc: "https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html",
        hops: (sm, model) => {
            const role = String(sm.inputs.roleArn ?? "");
            if (!role) return [];
            return itemReaders(model.definitionOf(sm)).map((reader) =>
                spec(
                    sm,
                    undefined,
                    "states.item-reader",
                    `the state machine reads the items of ${reader.state} from s3://${reader.bucket}/${reader.key}`,
                    role,
                    [{ action: "s3:GetObject", resource: s3Arn(model.partition, reader.bucket, reader.key) }, ...kmsViaS3(model, reader.bucket, reader.key, ["kms:Decrypt"])],
                    `allow the execution role s3:GetObject on s3://${reader.bucket}/${reader.key} and kms:Decrypt on its key through S3`,
                ),
            );
        },
    },
    {
        id: "states.sns-publish",
        resourceType: TYPE,
        summary: "An SNS task publishes to its topic (sns:Publish) and, for an encrypted topic, uses the topic's key (kms:GenerateDataKey, Decrypt).",
        doc: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse",
        hops: (sm, model) =>
            resolvedTasks(model.definitionOf(sm))
                .filter((t) => t.resource.includes(":::sns:publish"))
                .map((t) => {
                    const topic = String(t.parameters.TopicArn);
                    return spec(sm, t.item, "states.sns-publish", "the state machine publishes an alert", String(sm.inputs.roleArn), [{ action: "sns:Publish", resource: topic }, ...topicKeyChecks(model, topic)], `allow the execution role sns:Publish on ${topic} and the topic's key`);
                }),
    },
    {
        id: "states.other-tasks",
        resourceType: TYPE,
        summary:
            "Lambda, DynamoDB (optimized or SDK, on a table or an index, with the table's customer-managed key through DynamoDB), SQS, CloudWatch PutMetricData (in its namespace) and nested state machine tasks call their integration's action on the named resource.",
        doc: SERVICE_INTEGRATION_DOC,
        hops: (sm, model) =>
            resolvedTasks(model.definitionOf(sm)).flatMap((t) => {
                const other = otherTaskChecks(model, t);
                if (!other || other.checks.length === 0 || other.checks.some((c) => c.resource.includes("<"))) return [];
                const { integration, checks } = other;
                return [spec(sm, t.item, "states.other-tasks", `the state machine calls ${integration} in ${t.state}`, String(sm.inputs.roleArn), checks, `allow the execution role ${[...new Set(checks.map((c) => c.action))].join(", ")}`)];
            }),
    },
    {
        id: "states.logging-and-tracing",
        resourceType: TYPE,
        summary: "With logging the execution role manages log deliveries (logs:CreateLogDelivery… on *); with tracing it writes X-Ray segments.",
        doc: "https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",
        hops: (sm) => {
            const checks: AccessCheck[] = [];
            if (sm.inputs.loggingConfiguration?.level && sm.inputs.loggingConfiguration.level !== "OFF") {
                for (const action of ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"]) {
                    checks.push({ action, resource: "*" });
                }
            }
            if (sm.inputs.tracingConfiguration?.enabled) for (const action of ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]) checks.push({ action, resource: "*" });
            if (checks.length === 0 || !sm.inputs.roleArn) return [];
            return [spec(sm, undefined, "states.logging-and-tracing", "the state machine logs and traces its executions", String(sm.inputs.roleArn), checks, "allow the execution role the log-delivery actions (and X-Ray writes when tracing)")];
        },
    },
    {
        id: "redshift.copy-role",
        resourceType: TYPE,
        summary: "The role a COPY or UNLOAD names is associated with the warehouse, Redshift may assume it, and it reads the COPY source or writes the UNLOAD target and its key.",
        doc: "https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-access-permissions.html",
        hops: (sm, model) =>
            resolvedTasks(model.definitionOf(sm))
                .filter((t) => taskSql(t.parameters) !== undefined)
                .flatMap((t) =>
                    copyStatements(taskSql(t.parameters)!)
                        .filter((c) => c.iamRole)
                        .flatMap((c) => {
                            const role = c.iamRole!;
                            const concrete = c.path.includes("<") ? c.path.slice(0, c.path.indexOf("<")) : c.path;
                            const location = concrete.slice(0, concrete.lastIndexOf("/") + 1);
                            const warehouse = warehouseArnFor(model, t.parameters as Record<string, any>);
                            return [
                                spec(sm, t.item, "redshift.copy-role", `Redshift assumes the ${c.kind.toUpperCase()} role`, "redshift.amazonaws.com", [assumeRole(model, role, warehouse)], `let redshift.amazonaws.com assume ${role}`),
                                spec(
                                    sm,
                                    t.item,
                                    "redshift.copy-role",
                                    c.kind === "copy" ? `the warehouse COPYs from ${location}` : `the warehouse UNLOADs to ${location}`,
                                    role,
                                    c.kind === "copy" ? readLocation(model, location) : writeLocation(model, location),
                                    `allow ${role.split("/").pop()} to ${c.kind === "copy" ? "read" : "write"} ${location} and its key`,
                                ),
                            ];
                        }),
                ),
    },
];

/** The integration a Task of `states.other-tasks` calls and the requests it makes; undefined for other integrations. */
function otherTaskChecks(model: PlanModel, t: ResolvedTask): { integration: string; checks: AccessCheck[] } | undefined {
    const p = t.parameters as Record<string, any>;
    const dynamo = /:::(?:aws-sdk:)?dynamodb:(\w+)$/.exec(t.resource)?.[1];
    if (dynamo) return { integration: `dynamodb:${dynamo}`, checks: dynamoDbChecks(model, sdkAction("dynamodb", dynamo), String(p.TableName), typeof p.IndexName === "string" ? p.IndexName : undefined) };
    if (/:::aws-sdk:cloudwatch:putMetricData$/.test(t.resource)) {
        return { integration: "cloudwatch:putMetricData", checks: [{ action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": String(p.Namespace) } }] };
    }
    const integration = /:::(lambda:invoke|sqs:sendMessage|states:startExecution)/.exec(t.resource)?.[1];
    if (integration === "lambda:invoke") return { integration, checks: [{ action: "lambda:InvokeFunction", resource: String(p.FunctionName) }] };
    if (integration === "sqs:sendMessage") {
        const queue = model.ofType("aws:sqs/queue:Queue").find((q) => q.outputs?.url === p.QueueUrl || q.id === p.QueueUrl);
        const arn = queue ? model.arnOf(queue) : undefined;
        return { integration, checks: arn ? [{ action: "sqs:SendMessage", resource: arn }, ...queueKeyChecks(model, arn)] : [] };
    }
    if (integration === "states:startExecution") return { integration, checks: [{ action: "states:StartExecution", resource: String(p.StateMachineArn) }] };
    return undefined;
}

/**
 * Which requirement entry checks a Task's call, and whether it could: every call a state machine
 * makes must be one the table knows, on a target the definition (not the execution input) names.
 */
export function taskCoverage(model: PlanModel, t: ResolvedTask): { requirement?: string; problem?: string } {
    const p = t.parameters as Record<string, any>;
    const unresolved = (value: unknown) => (typeof value !== "string" ? "is not set" : value.includes("<") ? `is decided by the execution input (${value})` : undefined);
    if (t.resource.includes(":::glue:startJobRun")) {
        const problem = unresolved(p.JobName);
        return { requirement: "states.glue-job", problem: problem && `JobName ${problem}` };
    }
    if (/:::aws-sdk:redshiftdata:(executeStatement|batchExecuteStatement|describeStatement)$/.test(t.resource)) {
        if (t.resource.endsWith("describeStatement")) return { requirement: "states.redshift-data" };
        return { requirement: "states.redshift-data", problem: dataApiChecks(model, p, "redshift-data:ExecuteStatement").length === 0 ? "its cluster or workgroup is not in the plan" : undefined };
    }
    if (t.resource.includes(":::sns:publish")) {
        const problem = unresolved(p.TopicArn);
        return { requirement: "states.sns-publish", problem: problem && `TopicArn ${problem}` };
    }
    const other = otherTaskChecks(model, t);
    if (other) {
        const open = other.checks.find((c) => c.resource.includes("<"));
        return { requirement: "states.other-tasks", problem: other.checks.length === 0 ? "its target is not in the plan" : open ? `its target is decided by the execution input (${open.resource})` : undefined };
    }
    return {};
}

/**
 * A DynamoDB request on a table (or one of its indexes) and, for a table encrypted with a
 * customer-managed key, the caller's use of that key through DynamoDB.
 */
export function dynamoDbChecks(model: PlanModel, action: string, tableName: string, indexName?: string): AccessCheck[] {
    const table = model.ofType("aws:dynamodb/table:Table").find((r) => r.inputs.name === tableName);
    const tableArn = (table && model.arnOf(table)) ?? `arn:${model.partition}:dynamodb:${model.region}:${model.accountId}:table/${tableName}`;
    const encryption = table?.inputs.serverSideEncryption;
    const key = encryption?.enabled ? model.keyArn(encryption.kmsKeyArn) : undefined;
    return [
        { action, resource: indexName ? `${tableArn}/index/${indexName}` : tableArn },
        ...(key ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"].map((kms) => ({ action: kms, resource: key, context: { "kms:ViaService": `dynamodb.${model.region}.amazonaws.com` } })) : []),
    ];
}

/** The ARN of the cluster or workgroup a Data API task addresses. */
export function warehouseArnFor(model: PlanModel, parameters: Record<string, any>): string | undefined {
    if (typeof parameters.ClusterIdentifier === "string") {
        const cluster = model.ofType("aws:redshift/cluster:Cluster").find((c) => c.inputs.clusterIdentifier === parameters.ClusterIdentifier);
        return cluster ? model.arnOf(cluster) : undefined;
    }
    const workgroup = model.ofType("aws:redshiftserverless/workgroup:Workgroup").find((w) => w.inputs.workgroupName === parameters.WorkgroupName);
    const namespace = workgroup ? model.ofType("aws:redshiftserverless/namespace:Namespace").find((n) => n.inputs.namespaceName === workgroup.inputs.namespaceName) : undefined;
    return namespace ? model.arnOf(namespace) : undefined;
}

/** IAM roles associated with a warehouse (cluster `iamRoles`/`defaultIamRoleArn`, namespace `iamRoles`). */
export function associatedRoles(model: PlanModel, warehouseArn: string | undefined): string[] {
    const warehouse = model.findByArn(warehouseArn);
    if (!warehouse) return [];
    return [...(warehouse.inputs.iamRoles ?? []), warehouse.inputs.defaultIamRoleArn].filter((r): r is string => typeof r === "string");
}

/** Every Distributed Map of a definition (nested ones included), with the label its map runs carry. */
function distributedMaps(definition: any): { name: string; label: string }[] {
    return allStates(definition?.States)
        .filter(([, state]) => state?.Type === "Map" && (state.ItemProcessor ?? state.Iterator)?.ProcessorConfig?.Mode === "DISTRIBUTED")
        .map(([name, state]) => ({ name, label: typeof state.Label === "string" ? state.Label : name }));
}

/** Every Map that reads its items from an S3 object named in the definition. */
function itemReaders(definition: any): { state: string; bucket: string; key: string }[] {
    return allStates(definition?.States).flatMap(([state, value]) => {
        const reader = s3ItemReader(value);
        return reader ? [{ state, bucket: reader.bucket, key: reader.key }] : [];
    });
}
