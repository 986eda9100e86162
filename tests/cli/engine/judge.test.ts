import * as assert from "node:assert/strict";
import { openJudgeDuring, PolicyJudge } from "../../../cli/engine/judge";
import type { RecordedResource } from "../../../cli/engine/run-program";
import { recordedResource } from "../../helpers/recorded-resource";

/** A stand-in for PolicyJudge.open that opens when the test says so, and records closes. */
function controlledOpen() {
    const state = { calls: 0, closed: 0, analysed: [] as string[] };
    let settle!: { resolve: (j: PolicyJudge) => void; reject: (e: Error) => void };
    const judge = { close: () => state.closed++, analyze: (r: RecordedResource) => state.analysed.push(r.name) } as unknown as PolicyJudge;
    const original = PolicyJudge.open;
    PolicyJudge.open = () => {
        state.calls++;
        return new Promise<PolicyJudge>((resolve, reject) => {
            settle = { resolve, reject };
        });
    };
    return {
        state,
        judge,
        open: () => settle.resolve(judge),
        fail: (message: string) => settle.reject(new Error(message)),
        restore: () => {
            PolicyJudge.open = original;
        },
    };
}

const OPTIONS = { packDir: "/nowhere/policies", stack: "dev" };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("openJudgeDuring (the pack starts while the program runs)", () => {
    it("runs the work while the pack is still starting, and returns both", async () => {
        const pack = controlledOpen();
        try {
            let packStartingDuringWork = false;
            const done = openJudgeDuring(OPTIONS, async () => {
                await tick();
                packStartingDuringWork = pack.state.calls === 1;
                return "ran";
            });
            await tick();
            await tick();
            assert.ok(packStartingDuringWork, "the pack was being opened while the work ran");
            pack.open();
            const { judge, result } = await done;
            assert.equal(judge, pack.judge);
            assert.equal(result, "ran");
            assert.equal(pack.state.closed, 0);
        } finally {
            pack.restore();
        }
    });

    it("fails as soon as the pack fails (a bad policy config), without waiting for the work", async () => {
        const pack = controlledOpen();
        try {
            const never = new Promise<never>(() => undefined);
            const done = openJudgeDuring(OPTIONS, () => never);
            pack.fail("policies/config/dev.json: nope: no such policy in the pack");
            await assert.rejects(done, /no such policy/);
        } finally {
            pack.restore();
        }
    });

    it("stops a pack that started once the work has failed, even when it finishes starting later", async () => {
        const pack = controlledOpen();
        try {
            const done = openJudgeDuring(OPTIONS, async () => {
                throw new Error("the program failed");
            });
            let settled = false;
            done.catch(() => {
                settled = true;
            });
            await tick();
            assert.equal(settled, false, "waits for the pack to finish starting");
            pack.open();
            await assert.rejects(done, /the program failed/);
            assert.equal(pack.state.closed, 1);
        } finally {
            pack.restore();
        }
    });

    it("hands the pack each resource the work records: those recorded before it was ready once it is, in order, the rest at once", async () => {
        const pack = controlledOpen();
        const wire = { inputs: new Map(), state: new Map() };
        const record = (name: string) => recordedResource(`urn:pulumi:dev::p::aws:s3/bucket:Bucket::${name}`, "aws:s3/bucket:Bucket", name);
        try {
            let later!: () => void;
            const done = openJudgeDuring(OPTIONS, async (onRecorded) => {
                onRecorded(record("a"), wire);
                onRecorded(record("b"), wire);
                await new Promise<void>((resolve) => {
                    later = resolve;
                });
                onRecorded(record("c"), wire);
                return "ran";
            });
            await tick();
            assert.deepEqual(pack.state.analysed, [], "nothing before the pack is ready");
            pack.open();
            await tick();
            assert.deepEqual(pack.state.analysed, ["a", "b"], "the waiting ones as soon as it is");
            later();
            await done;
            assert.deepEqual(pack.state.analysed, ["a", "b", "c"]);
        } finally {
            pack.restore();
        }
    });

    it("without options opens no pack", async () => {
        const pack = controlledOpen();
        try {
            assert.deepEqual(
                await openJudgeDuring(undefined, async (onRecorded) => {
                    onRecorded(recordedResource("urn:pulumi:dev::p::aws:s3/bucket:Bucket::a", "aws:s3/bucket:Bucket", "a"), { inputs: new Map(), state: new Map() });
                    return 7;
                }),
                { judge: undefined, result: 7 },
            );
            assert.equal(pack.state.calls, 0);
        } finally {
            pack.restore();
        }
    });
});
