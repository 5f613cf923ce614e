// Command-line arguments of `marketo-webhook`: picks the command and splits its arguments by the
// command's option specs; the command checks the values. Pure (no I/O): main.ts prints what this
// returns and picks the exit code. Nothing here names a command: they come from the list.
import { COMMANDS, type AnyCommand } from './commands';
import { UsageError, type CommandLine, type OptionSpec } from './command';

export type ParsedArgs =
  | { kind: 'help'; topic?: AnyCommand }
  | { kind: 'version' }
  | { kind: 'call'; command: AnyCommand; options: object };

/** `commands`: the program's commands; other lists only in tests. */
export function parseArgs(argv: readonly string[], commands: readonly AnyCommand[] = COMMANDS): ParsedArgs {
  const names = commands.map((c) => c.name);
  const expected = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
  const find = (name: string) => commands.find((c) => c.name === name);

  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`missing command: ${expected}`);
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic === undefined) return { kind: 'help' };
    const command = find(topic);
    if (!command) throw new UsageError(`unknown command "${topic}"`);
    return { kind: 'help', topic: command };
  }
  if (first === '--version') return { kind: 'version' };
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first}; expected a command: ${expected}`);
  const command = find(first);
  if (!command) throw new UsageError(`unknown command "${first}"; expected ${expected}`);

  try {
    const line = scan(command.name, command.options, rest);
    if (line.flags.has('help')) return { kind: 'help', topic: command };
    return { kind: 'call', command, options: command.parse(line) };
  } catch (error) {
    // A command's own checks need not name it: the hint shows that command's usage.
    if (error instanceof UsageError && error.command === undefined) throw new UsageError(error.message, command.name);
    throw error;
  }
}

/** Splits arguments into options and positionals, checking option names against the specs. */
function scan(command: string, specs: readonly OptionSpec[], args: readonly string[]): CommandLine {
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      flags.add('help');
      continue;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`unknown option ${arg}`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (name === 'help') throw new UsageError('--help takes no value');
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown option --${name} for ${command}`);
    if (spec.value === undefined) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = args[i + 1];
      // `--timeout -5` is a value (checked later with a clear message); `--lead --json` is not.
      if (next === undefined || (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next))) {
        throw new UsageError(`--${name} needs a value`);
      }
      value = next;
      i++;
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new UsageError(`--${name} given more than once`);
    list.push(value);
    values.set(name, list);
  }
  return { positionals, values, flags };
}
