// The help of `marketo-webhook` and the usage hint under a usage error, generated from the list of
// commands and their option specs, so a command's help cannot miss one of its options.
import { PROGRAM, type Command, type OptionSpec } from './command';
import { COMMANDS, type AnyCommand } from './commands';
import { SHARED_OPTIONS } from './commands/shared-options';

/** Usage lines wrap before this many characters. */
const USAGE_WIDTH = 100;

const HELP_OPTION: OptionSpec = { name: 'help', help: 'show this help' };

const PROGRAM_SUMMARY = `${PROGRAM}: write, validate and run Marketo webhooks from the command line.`;

const PROGRAM_EXIT_CODES = `Exit codes: 0 success, 1 errors found / the call failed as Marketo counts it,
            2 usage error, unreadable input or a definition with errors; 130 cancelled (Ctrl+C).`;

const COLOUR_NOTE = 'Colour is used only when stdout is a terminal and NO_COLOR is not set.';

/** `marketo-webhook run <file.webhook.jsonc> [--lead lead.json] ...`, wrapped under its operands. */
export function usageLine(command: Command<unknown>): string {
  const head = `${PROGRAM} ${command.name} `;
  const parts = [command.operands, ...command.options.map((o) => `[${optionLabel(o)}]${o.repeatable ? '...' : ''}`)];
  const lines: string[] = [];
  let line = head + parts[0];
  for (const part of parts.slice(1)) {
    if (line.length + 1 + part.length > USAGE_WIDTH) {
      lines.push(line);
      line = ' '.repeat(head.length) + part;
    } else {
      line += ' ' + part;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** The lines printed under a usage error: the usage of `commandName`, or of every command. */
export function usageHint(commandName?: string, commands: readonly AnyCommand[] = COMMANDS): string {
  const command = commands.find((c) => c.name === commandName);
  const usage = command ? usageLine(command) : commands.map(usageLine).join('\n');
  const help = command ? `${PROGRAM} ${command.name} --help` : `${PROGRAM} --help`;
  return `usage: ${indentLines(usage, 7)}\nSee "${help}".`;
}

/** `marketo-webhook --help`, or `marketo-webhook <topic> --help`. */
export function helpText(topic?: Command<unknown>, commands: readonly AnyCommand[] = COMMANDS): string {
  return topic ? commandHelp(topic) : programHelp(commands);
}

function commandHelp(command: Command<unknown>): string {
  const codeWidth = Math.max(...command.exitCodes.map(([code]) => code.length));
  const exitCodes = command.exitCodes.map(([code, meaning]) => `  ${code.padEnd(codeWidth)}  ${meaning}`);
  return [
    `Usage: ${indentLines(usageLine(command), 7)}`,
    command.description,
    `Options:\n${optionTable([...command.options, HELP_OPTION].map((o) => [optionLabel(o), o.help]))}`,
    `Exit codes:\n${exitCodes.join('\n')}`,
    ...command.topics,
  ].join('\n\n');
}

function programHelp(commands: readonly AnyCommand[]): string {
  const nameWidth = Math.max(...commands.map((c) => c.name.length));
  const shared = SHARED_OPTIONS.filter((o) => commands.every((c) => c.options.some((own) => own.name === o.name)));
  const options: [string, string][] = [
    ...shared.map((o): [string, string] => [optionLabel(o), o.help]),
    [optionLabel(HELP_OPTION), 'show help'],
    ['--version', 'show the version'],
  ];
  // Each section once, in the order the commands first show it.
  const topics = [...new Set(commands.flatMap((c) => c.topics))];
  return [
    PROGRAM_SUMMARY,
    `Usage:\n${[...commands.map(usageLine), `${PROGRAM} --help | --version`, `${PROGRAM} <command> --help`]
      .map((usage) => `  ${indentLines(usage, 2)}`).join('\n')}`,
    `Commands:\n${commands.map((c) => `  ${c.name.padEnd(nameWidth)}   ${c.summary}`).join('\n')}`,
    PROGRAM_EXIT_CODES,
    `Options:\n${optionTable(options)}`,
    ...topics,
    COLOUR_NOTE,
  ].join('\n\n');
}

/** `--lead lead.json`, `--json`, `-h, --help`. */
function optionLabel(option: OptionSpec): string {
  if (option === HELP_OPTION) return '-h, --help';
  return option.value === undefined ? `--${option.name}` : `--${option.name} ${option.value}`;
}

/** Two columns: the options, and their help with continuation lines under it. */
function optionTable(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 3;
  return rows.map(([label, help]) => `  ${label.padEnd(width)}${indentLines(help, width + 2)}`).join('\n');
}

/** Indents every line but the first, so continuation lines stay aligned under a prefix. */
function indentLines(text: string, width: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(width)}`);
}
