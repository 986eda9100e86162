import type { AccessCheck } from "../iam";
import type { PlannedResource } from "../plan";
import { assumeRole } from "./common";
import { queueKeyChecks, stateMachineKeyChecks } from "./states";
import type { HopSpec, Requirement } from "./types";

const TYPE = "aws:scheduler/schedule:Schedule";

function spec(schedule: PlannedResource, requirement: string, hop: string, principal: string, checks: AccessCheck[], fix: string): HopSpec {
    return { requirement, domain: "platform", hop, principal, checks, fix, urn: schedule.urn };
}

export const schedulerRequirements: Requirement[] = [
    {
        id: "scheduler.start-state-machine",
        resourceType: TYPE,
        summary:
            "Scheduler assumes the target role, which starts the state machine (states:StartExecution) and, when the state machine has a customer-managed key, encrypts the execution input with it (kms:GenerateDataKey, kms:Decrypt).",
        doc: "https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html",
        hops: (schedule, model) => {
            const target = schedule.inputs.target;
            if (!target?.roleArn || !String(target.arn ?? "").includes(":states:")) return [];
            const stateMachine = model.findByArn(target.arn);
            return [
                spec(schedule, "scheduler.start-state-machine", "the schedule starts the load", "scheduler.amazonaws.com", [assumeRole(model, target.roleArn, model.arnOf(schedule))], "let scheduler.amazonaws.com assume the schedule's role"),
                spec(
                    schedule,
                    "scheduler.start-state-machine",
                    "the schedule starts the load",
                    target.roleArn,
                    [{ action: "states:StartExecution", resource: String(target.arn) }, ...(stateMachine ? stateMachineKeyChecks(model, stateMachine, ["kms:GenerateDataKey", "kms:Decrypt"]) : [])],
                    "allow the schedule's role states:StartExecution on the state machine and kms:GenerateDataKey and kms:Decrypt on its key",
                ),
            ];
        },
    },
    {
        id: "scheduler.dead-letter-queue",
        resourceType: TYPE,
        summary: "The schedule's role sends undeliverable invocations to its dead-letter queue (sqs:SendMessage and the queue's key).",
        doc: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html",
        hops: (schedule, model) => {
            const target = schedule.inputs.target;
            const dlq = target?.deadLetterConfig?.arn;
            if (!target?.roleArn || !dlq) return [];
            return [
                spec(
                    schedule,
                    "scheduler.dead-letter-queue",
                    "the schedule parks failed starts in its dead-letter queue",
                    target.roleArn,
                    [{ action: "sqs:SendMessage", resource: String(dlq) }, ...queueKeyChecks(model, String(dlq))],
                    "allow the schedule's role sqs:SendMessage on its dead-letter queue and the queue's key",
                ),
            ];
        },
    },
];
