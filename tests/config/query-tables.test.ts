import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ConfigError, parseStackConfig, readStackFile } from "../../config/loader";

const base = () => structuredClone(readStackFile(path.resolve(__dirname, "../../stacks/Pulumi.dev.yaml"))) as Record<string, any>;

function errorsOf(mutate: (cfg: Record<string, any>) => void): string[] {
    const cfg = base();
    mutate(cfg);
    try {
        parseStackConfig(cfg);
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.lines;
    }
}

describe("lakehouse:query", () => {
    it("defaults to a 100 GiB cut-off, 30-day results and no attachment to roles the stack does not own", () => {
        const cfg = base();
        delete cfg["lakehouse:query"];
        const query = parseStackConfig(cfg).query;
        assert.deepEqual(query, { bytesScannedCutoffPerQuery: 107374182400, resultExpirationDays: 30, attachPolicies: false, personas: {} });
    });

    it("refuses to attach a persona's policy to a role of another account, naming the role and the account", () => {
        const errors = errorsOf((cfg) => {
            cfg["lakehouse:governance"].personas.analysts.roleArns = ["arn:aws:iam::999999999999:role/Analysts"];
        });
        assert.equal(errors.length, 1, errors.join("\n"));
        assert.match(errors[0], /^lakehouse:query\.attachPolicies: got true; expected false: persona analysts's role arn:aws:iam::999999999999:role\/Analysts is not in the stack's account \d{12}/);
        assert.deepEqual(
            errorsOf((cfg) => {
                cfg["lakehouse:governance"].personas.analysts.roleArns = ["arn:aws:iam::999999999999:role/Analysts"];
                cfg["lakehouse:query"].attachPolicies = false;
            }),
            [],
            "exported policies are for any account",
        );
    });

    it("refuses a cut-off below Athena's 10 MiB and a setting for an undeclared persona", () => {
        assert.deepEqual(
            errorsOf((cfg) => {
                cfg["lakehouse:query"].bytesScannedCutoffPerQuery = 1024;
                cfg["lakehouse:query"].personas = { analyst: { bytesScannedCutoffPerQuery: 10485760 } };
            }),
            [
                "lakehouse:query.bytesScannedCutoffPerQuery: got 1024; expected a whole number of bytes, at least 10485760 (10 MiB, Athena's minimum)",
                'lakehouse:query.personas.analyst: got "analyst"; expected a persona of lakehouse:governance.personas: analysts, orders_engineers, ml',
            ],
        );
    });
});

describe("lakehouse:tables", () => {
    it("refuses an orphan-file retention a job run could outlast, naming the job timeout", () => {
        const errors = errorsOf((cfg) => {
            cfg["lakehouse:glue"].timeoutMinutes = 2880;
            cfg["lakehouse:tables"].orphanFileRetentionDays = 2;
        });
        assert.deepEqual(errors, [
            "lakehouse:tables.orphanFileRetentionDays: got 2; expected at least 3 days: a job run may keep its new files uncommitted for up to lakehouse:glue.timeoutMinutes (2880), and orphan-file deletion must not remove them first",
        ]);
    });

    it("refuses a maintenance run rate outside Glue's 3 to 168 hours", () => {
        const errors = errorsOf((cfg) => {
            cfg["lakehouse:tables"].maintenanceRunRateHours = 1;
        });
        assert.equal(errors.length, 1);
        assert.match(errors[0], /^lakehouse:tables\.maintenanceRunRateHours: got 1; expected an integer from 3 to 168/);
    });
});

describe("a domain's operation column and hot keys", () => {
    it("refuses an operation column that is not a declared string column outside the key, and buckets out of range", () => {
        const errors = errorsOf((cfg) => {
            const domain = cfg["lakehouse:domains"][0];
            domain.operation = { column: domain.primaryKey[0], deleteValues: ["D"] };
            domain.hotKeyBuckets = 1;
        });
        assert.equal(errors.length, 2, errors.join("\n"));
        assert.ok(errors.some((e) => /^lakehouse:domains\[0\]\.operation\.column: got ".+"; expected a column outside the primary key/.test(e)), errors.join("\n"));
        assert.ok(errors.some((e) => /^lakehouse:domains\[0\]\.hotKeyBuckets: got 1; expected an integer from 2 to 1024/.test(e)), errors.join("\n"));
    });
});

describe("the curated zone's lifecycle, which holds Iceberg tables", () => {
    it("refuses an expiry and an archive class, naming the key", () => {
        const errors = errorsOf((cfg) => {
            cfg["lakehouse:lake"].curated = { transitions: [{ days: 30, storageClass: "GLACIER" }], expirationDays: 365, noncurrentVersionExpirationDays: 7, abortIncompleteMultipartUploadDays: 1 };
        });
        assert.deepEqual(errors, [
            "lakehouse:lake.curated.expirationDays: got 365; expected none: the curated zone holds Iceberg tables, whose files only their snapshot retention (lakehouse:tables) may delete",
            'lakehouse:lake.curated.transitions[0].storageClass: got "GLACIER"; expected a class read without a restore (STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR): Iceberg tables read any of their files at any time',
        ]);
    });
});
