/**
 * The calls a script or handler makes, read from its source the way the code-call table names
 * them: boto3 clients in Python (`boto3.client("dynamodb").put_item(` or a client variable's
 * methods and paginators → `dynamodb:PutItem`), AWS SDK v3 commands in TypeScript
 * (`new PutRecordsCommand(` imported from `@aws-sdk/client-kinesis` → `kinesis:PutRecords`), and
 * KafkaJS admin requests (`admin.createTopics(` → `kafkajs:createTopics`).
 */

/** Client methods that make no request. */
const PYTHON_LOCAL = new Set(["get_paginator", "get_waiter", "close", "can_paginate", "exceptions", "meta"]);
const KAFKA_LOCAL = new Set(["disconnect", "on", "logger"]);

/** `list_objects_v2` → `ListObjectsV2`. */
export function operationName(snake: string): string {
    return snake
        .split("_")
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join("");
}

/** The boto3 calls of a Python source. */
export function pythonCalls(text: string): Set<string> {
    const clients = new Map<string, string>();
    for (const m of text.matchAll(/\b(\w+)\s*=\s*boto3\.client\(\s*["']([\w-]+)["']/g)) clients.set(m[1], m[2]);
    const calls = new Set<string>();
    for (const m of text.matchAll(/boto3\.client\(\s*["']([\w-]+)["'][^)]*\)\s*\.\s*(\w+)\s*\(/g)) {
        if (!PYTHON_LOCAL.has(m[2])) calls.add(`${m[1]}:${operationName(m[2])}`);
    }
    for (const m of text.matchAll(/\b(\w+)\.(\w+)\s*\(/g)) {
        const service = clients.get(m[1]);
        if (service && !PYTHON_LOCAL.has(m[2])) calls.add(`${service}:${operationName(m[2])}`);
    }
    for (const m of text.matchAll(/\b(\w+)\.get_paginator\(\s*["'](\w+)["']/g)) {
        const service = clients.get(m[1]);
        if (service) calls.add(`${service}:${operationName(m[2])}`);
    }
    return calls;
}

/** The AWS SDK v3 commands and KafkaJS admin requests of a TypeScript source. */
export function typescriptCalls(text: string): Set<string> {
    const calls = new Set<string>();
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']@aws-sdk\/client-([\w-]+)["']/g)) {
        for (const name of m[1].split(",").map((n) => n.trim().replace(/^type\s+/, ""))) {
            const command = /^(\w+)Command$/.exec(name);
            if (command && new RegExp(`new\\s+${name}\\s*\\(`).test(text)) calls.add(`${m[2]}:${command[1]}`);
        }
    }
    for (const m of text.matchAll(/\badmin\s*\.\s*(\w+)\s*\(/g)) if (!KAFKA_LOCAL.has(m[1])) calls.add(`kafkajs:${m[1]}`);
    return calls;
}

/** The calls of a source file, by its language. */
export function sourceCalls(file: string, text: string): Set<string> {
    return file.endsWith(".py") ? pythonCalls(text) : typescriptCalls(text);
}
