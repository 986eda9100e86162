import * as assert from "node:assert/strict";
import { openJudgeDuring, PolicyJudge } from "../../../cli/engine/judge";

/** A stand-in for PolicyJudge.open that opens when the test says so, and records closes. */
function controlledOpen() {
    const state = { calls: 0, closed: 0 };
    let settle!: { resolve: (j: PolicyJudge) => void; reject: (e: Error) => void };
    const judge = { close: () => state.closed++ } as unknown as PolicyJudge;
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

    it("without options opens no pack", async () => {
        const pack = controlledOpen();
        try {
            assert.deepEqual(await openJudgeDuring(undefined, async () => 7), { judge: undefined, result: 7 });
            assert.equal(pack.state.calls, 0);
        } finally {
            pack.restore();
        }
    });
});
