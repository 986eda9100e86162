import type { Command, OptionValues } from "commander";

/**
 * Parses the command line with commander (configured with `exitOverride`). Returns the parsed
 * options, or the exit code when commander already answered (`--help`: 0; a bad option: 1,
 * after printing the error and the usage).
 */
export function parseArgs<T extends OptionValues>(program: Command, argv: string[]): { options: T } | { exitCode: number } {
    try {
        program.parse(argv, { from: "user" });
    } catch (err) {
        return { exitCode: (err as { exitCode?: number }).exitCode === 0 ? 0 : 1 };
    }
    return { options: program.opts<T>() };
}
