// What a command of `marketo-webhook` is: its name, its options, how it reads its arguments and
// how it runs. Each command is one module in commands/; the list in commands/index.ts is the only
// place that names them, so parsing, dispatch and help all follow from it.
import type { Io } from './io';

export const PROGRAM = 'marketo-webhook';

/** A mistake in how the command was called: exit code 2 with a short usage hint. */
export class UsageError extends Error {
  /** `command`: the name of the command whose usage the hint shows; none for the program's. */
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One `--name` option of a command. `-h, --help` is every command's and is not listed. */
export interface OptionSpec {
  /** without the leading `--` */
  readonly name: string;
  /** The placeholder of its value in usage and help (`lead.json`, `trigger|batch`); none for a flag. */
  readonly value?: string;
  /** may be given more than once; otherwise a second one is a usage error */
  readonly repeatable?: boolean;
  /** what it does, for the help; continuation lines separated by "\n" */
  readonly help: string;
}

/** A command's arguments split by its option specs, before the command checks their values. */
export interface CommandLine {
  readonly positionals: readonly string[];
  /** every value of each option that takes one, in the order given */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** the flags given (options without a value) */
  readonly flags: ReadonlySet<string>;
}

export interface Command<Options> {
  readonly name: string;
  /** one line, for the program's list of commands */
  readonly summary: string;
  /** what follows the command's name in its usage line, before the options: `<file|dir>...` */
  readonly operands: string;
  /** what the command does, for its own help */
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** [code, meaning] pairs, for the help */
  readonly exitCodes: readonly (readonly [string, string])[];
  /** help sections the command's users need (field catalog, secrets); shared ones by identity */
  readonly topics: readonly string[];
  /** Checks the arguments and turns them into the command's options; throws UsageError. */
  parse(line: CommandLine): Options;
  /** Runs the command and returns its exit code. */
  run(options: Options, io: Io): Promise<number>;
}

/** The first value of an option that takes one. */
export function single(line: CommandLine, name: string): string | undefined {
  return line.values.get(name)?.[0];
}

/** The option's value, where an empty or blank one is a usage error. */
export function nonEmpty(line: CommandLine, name: string): string | undefined {
  const value = single(line, name);
  if (value !== undefined && value.trim() === '') throw new UsageError(`--${name} needs a value`);
  return value;
}
