import { allRecorded, deployedByTests } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { LakehousePlatform } from "../../../components/platform";
import { parseStackConfig, readStackFile } from "../../../config/loader";
import { schemaStatements, warehouseDomain } from "../../../lib/warehouse-sql";
import { warehousePersonaStatements } from "../../../lib/warehouse-personas-sql";
import { governanceInput } from "../../../config/governance";
import { planJson } from "../../helpers/run-cli";

type Planned = { urn: string; type: string; name: string; id?: string; inputs: Record<string, any>; dependencies: string[] };
const plan = (stack: string) => planJson(stack, ["--no-policies"]).doc.resources as unknown as Planned[];
const configOf = (stack: string) => parseStackConfig(readStackFile(path.resolve(__dirname, `../../../stacks/Pulumi.${stack}.yaml`)));

describe("LakehousePlatform: the warehouse schema is run by an invoked function, not Statement resources", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: the schema function is invoked with the stack's schema statements once the warehouse exists, from the private subnets`, () => {
            const resources = plan(stack);
            const config = configOf(stack);
            const kind = config.warehouse.mode === "provisioned" ? "cluster" : "serverless";
            assert.equal(resources.filter((r) => r.type === "aws:redshiftdata/statement:Statement").length, 0);
            const invocation = resources.find((r) => r.type === "aws:lambda/invocation:Invocation" && r.name === `lakehouse-${stack}-warehouse-schema`)!;
            const request = JSON.parse(invocation.inputs.input);
            // The schema's own statements, then the personas' roles, grants, masks and Spectrum schemas
            // (queried as each persona's own IAM identity).
            const domains = config.domains.map(warehouseDomain);
            assert.deepEqual(request.statements, [
                ...schemaStatements(domains, kind, config.warehouse.databaseName),
                ...warehousePersonaStatements({ governance: governanceInput(config), domains, spectrum: { kind: "session" } }),
            ]);
            assert.deepEqual([request.target.kind, request.target.name, request.target.database], [kind, `lakehouse-${stack}-warehouse`, config.warehouse.databaseName]);
            const warehouse = resources.filter((r) => ["aws:redshift/cluster:Cluster", "aws:redshiftserverless/namespace:Namespace", "aws:redshiftserverless/workgroup:Workgroup"].includes(r.type));
            assert.ok(warehouse.length > 0);
            for (const r of warehouse) assert.ok(invocation.dependencies.includes(r.urn), `waits for ${r.type} ${r.name}`);

            const fn = resources.find((r) => r.type === "aws:lambda/function:Function" && r.inputs.name === invocation.inputs.functionName)!;
            const privateSubnets = resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.inputs.tags?.tier === "private").map((s) => s.id);
            assert.deepEqual([...fn.inputs.vpcConfig.subnetIds].sort(), privateSubnets.sort());
            assert.equal(fn.inputs.environment.variables.ADMIN_SECRET_ARN, request.target.secretArn);
            const load = resources.find((r) => r.type === "lakehouse:orchestration:WarehouseLoadPipeline")!;
            assert.ok(load.dependencies.includes(invocation.urn), "the load pipeline waits for the schema");
        });
    }

    it("reserves one execution where the stack reserves the validator's (staging, prod), none where it does not (dev)", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const fn = plan(stack).find((r) => r.type === "aws:lambda/function:Function" && r.inputs.name === `lakehouse-${stack}-warehouse-schema`)!;
            const opted = configOf(stack).orchestration.validator.reservedConcurrency !== undefined;
            assert.equal(fn.inputs.reservedConcurrentExecutions, opted ? 1 : undefined, stack);
        }
        assert.deepEqual(
            ["dev", "staging", "prod"].map((s) => configOf(s).orchestration.validator.reservedConcurrency !== undefined),
            [false, true, true],
        );
    });

    it("reserves none when the validator's reservation leaves no room for one more above Lambda's unreserved 100", async () => {
        const dev = deployedByTests(configOf("dev"));
        const validator = (reservedConcurrency: number) => ({ ...dev.orchestration, validator: { ...dev.orchestration.validator, reservedConcurrency, accountConcurrencyQuota: 1000 } });
        new LakehousePlatform("ws-full", { config: { ...dev, environment: "wsfull", orchestration: validator(900) } });
        new LakehousePlatform("ws-room", { config: { ...dev, environment: "wsroom", orchestration: validator(899) } });
        const functions = (await allRecorded()).filter((r) => r.type === "aws:lambda/function:Function");
        const reserved = (env: string) => functions.find((f) => f.inputs.name === `lakehouse-${env}-warehouse-schema`)!.inputs.reservedConcurrentExecutions;
        assert.equal(reserved("wsfull"), undefined);
        assert.equal(reserved("wsroom"), 1);
    });
});
