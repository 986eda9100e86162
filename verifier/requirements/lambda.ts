import type { AccessCheck } from "../iam";
import type { PlanModel } from "../model";
import type { PlannedResource } from "../plan";
import { assumeRole } from "./common";
import type { HopSpec, Requirement } from "./types";

const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
const FUNCTION = "aws:lambda/function:Function";

/** The function a mapping invokes (its `functionName` is a name or an ARN). */
function mappedFunction(model: PlanModel, mapping: PlannedResource): PlannedResource | undefined {
    const ref = String(mapping.inputs.functionName ?? "");
    return model.ofType(FUNCTION).find((f) => model.arnOf(f) === ref || model.nameOf(f) === ref || f.inputs.name === ref);
}

function spec(resource: PlannedResource, requirement: string, hop: string, principal: string, checks: AccessCheck[], fix: string): HopSpec {
    return { requirement, domain: "platform", hop, principal, checks, fix, urn: resource.urn };
}

export const lambdaRequirements: Requirement[] = [
    {
        id: "lambda.execution-role",
        resourceType: FUNCTION,
        summary: "Lambda assumes the function's role; with a customer-managed key on the environment the role may decrypt it (kms:Decrypt through Lambda).",
        doc: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
        hops: (fn, model) => {
            const role = String(fn.inputs.role ?? "");
            if (!role) return [];
            const key = fn.inputs.environment?.variables && fn.inputs.kmsKeyArn ? model.keyArn(fn.inputs.kmsKeyArn) : undefined;
            return [
                spec(fn, "lambda.execution-role", `Lambda runs ${fn.inputs.name ?? fn.name}`, "lambda.amazonaws.com", [assumeRole(model, role)], "let lambda.amazonaws.com assume the function's role"),
                ...(key
                    ? [
                          spec(
                              fn,
                              "lambda.execution-role",
                              `${fn.inputs.name ?? fn.name} decrypts its environment`,
                              role,
                              [{ action: "kms:Decrypt", resource: key, context: { "kms:ViaService": `lambda.${model.region}.amazonaws.com` } }],
                              "allow the function's role kms:Decrypt on its environment key",
                          ),
                      ]
                    : []),
            ];
        },
    },
    {
        id: "lambda.sqs-event-source",
        resourceType: MAPPING,
        summary: "An SQS event source mapping polls with the function's role: sqs:ReceiveMessage, DeleteMessage, GetQueueAttributes on the queue (its key is checked for every receiver by sqs.producers-and-consumers).",
        doc: "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
        hops: (mapping, model) => {
            const source = String(mapping.inputs.eventSourceArn ?? "");
            const fn = mappedFunction(model, mapping);
            if (!source.includes(":sqs:") || !fn?.inputs.role) return [];
            const checks: AccessCheck[] = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"].map((action) => ({ action, resource: source }));
            return [spec(mapping, "lambda.sqs-event-source", `${fn.inputs.name ?? fn.name} consumes ${source.split(":").pop()}`, String(fn.inputs.role), checks, "allow the function's role to receive, delete and read attributes of the queue")];
        },
    },
];
