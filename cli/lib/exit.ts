/**
 * Ends the process with `code` once everything written to stdout and stderr has been flushed.
 * Writes to a pipe are asynchronous: `process.exit` right after a large write (a plan JSON
 * printed to a pipe, a long summary piped into `tee`) would cut the output short.
 */
export function exitWhenFlushed(code: number): void {
    let pending = 2;
    const done = () => {
        pending -= 1;
        if (pending === 0) process.exit(code);
    };
    process.stdout.write("", done);
    process.stderr.write("", done);
}

/**
 * Runs a command's `main` with the process's arguments and exits with its code once the output is
 * flushed; an error it did not handle is one `error:` line and exit 1.
 */
export function runCommand(main: (argv: string[]) => Promise<number>): void {
    main(process.argv.slice(2)).then(exitWhenFlushed, (err) => {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        exitWhenFlushed(1);
    });
}
