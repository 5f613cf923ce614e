// The list of commands drives the parser, the dispatch and the help: every command and every
// option in the list is documented, and a new command needs nothing but its module and its line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgs } from '../../src/cli/args';
import { UsageError, type Command } from '../../src/cli/command';
import { COMMANDS, type AnyCommand } from '../../src/cli/commands';
import { FIELDS_TOPIC, JSON_OPTION } from '../../src/cli/commands/shared-options';
import { helpText, usageHint, usageLine } from '../../src/cli/help';

/** How an option shows in usage and help: `--lead lead.json`, `--json`. */
const label = (o: AnyCommand['options'][number]) => (o.value === undefined ? `--${o.name}` : `--${o.name} ${o.value}`);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

void describe('the command list and the help agree', () => {
  void test('command names are unique words that do not look like options', () => {
    const names = COMMANDS.map((c) => c.name);
    assert.deepEqual(names, [...new Set(names)]);
    for (const name of names) assert.match(name, /^[a-z][a-z-]*$/);
    assert.ok(!names.includes('help'), '"help" is the help command of the program');
  });

  void test('the program help shows every command with its usage and summary', () => {
    const help = helpText();
    for (const command of COMMANDS) {
      assert.ok(help.includes(usageLine(command).split('\n')[0] as string), `usage of ${command.name}`);
      assert.match(help, new RegExp(`^  ${escape(command.name)} +${escape(command.summary)}$`, 'm'), `summary of ${command.name}`);
    }
    assert.match(help, /^ {2}-h, --help +show help$/m);
    assert.match(help, /^ {2}--version +show the version$/m);
  });

  for (const command of COMMANDS) {
    void describe(command.name, () => {
      void test('its options have unique names, a help line, and are not the global ones', () => {
        const names = command.options.map((o) => o.name);
        assert.deepEqual(names, [...new Set(names)]);
        for (const option of command.options) {
          assert.match(option.name, /^[a-z][a-z-]*$/);
          assert.ok(!['help', 'version'].includes(option.name), `--${option.name} is the program's`);
          assert.ok(option.help.trim() !== '', `--${option.name} has help`);
        }
      });

      void test('its help documents every option, in its usage line and in the options table', () => {
        const help = helpText(command);
        const usage = usageLine(command);
        assert.ok(help.startsWith(`Usage: marketo-webhook ${command.name} ${command.operands}`));
        for (const option of command.options) {
          assert.ok(usage.includes(`[${label(option)}]${option.repeatable ? '...' : ''}`), `--${option.name} in the usage`);
          const firstLine = option.help.split('\n')[0] as string;
          assert.match(help, new RegExp(`^  ${escape(label(option))} +${escape(firstLine)}$`, 'm'), `--${option.name} in the options`);
        }
        assert.match(help, /^ {2}-h, --help +show this help$/m);
        for (const [code] of command.exitCodes) assert.match(help, new RegExp(`^  ${code} +\\S`, 'm'));
        for (const topic of command.topics) assert.ok(help.includes(topic));
        // The usage hint under a usage error of this command is its usage line.
        assert.equal(usageHint(command.name), `usage: ${usage.replace(/\n/g, `\n${' '.repeat(7)}`)}\nSee "marketo-webhook ${command.name} --help".`);
      });

      void test('the parser knows every option it documents', () => {
        for (const option of command.options) {
          const argv = [command.name, 'x', option.value === undefined ? `--${option.name}` : `--${option.name}=1`];
          try {
            parseArgs(argv);
          } catch (error) {
            // A value the command refuses is fine here; an option the parser does not know is not.
            assert.ok(error instanceof UsageError);
            assert.doesNotMatch(error.message, /unknown option/);
            assert.equal(error.command, command.name, 'a usage error names its command, for the hint');
          }
        }
        assert.throws(() => parseArgs([command.name, 'x', '--no-such-option']), /unknown option --no-such-option for/);
      });

      void test('its exit codes include 2 for a usage error', () => {
        assert.ok(command.exitCodes.some(([code, meaning]) => code === '2' && /usage/.test(meaning)));
      });
    });
  }
});

void describe('a new command is one module and one line in the list', () => {
  // What `pull` (contracts §5) would be: nothing but this object and its line in the list. The
  // real one (commands/pull.ts) is left out of the list here, so this one stands in its place.
  interface PullOptions { what: string; out?: string; json: boolean }
  const pull: Command<PullOptions> = {
    name: 'pull',
    summary: 'write data pulled from a Marketo instance to a file',
    operands: 'fields|lead|tokens',
    description: 'Pulls from the instance in MARKETO_BASE_URL.',
    options: [{ name: 'out', value: 'FILE', help: 'where to write it' }, JSON_OPTION],
    exitCodes: [['0', 'written'], ['1', 'a Marketo or network error'], ['2', 'usage error']],
    topics: ['Connection:\n  MARKETO_BASE_URL, MARKETO_CLIENT_ID, MARKETO_CLIENT_SECRET.'],
    parse(line) {
      const [what] = line.positionals;
      if (what === undefined) throw new UsageError('pull needs fields, lead or tokens');
      const options: PullOptions = { what, json: line.flags.has('json') };
      const out = line.values.get('out')?.[0];
      if (out !== undefined) options.out = out;
      return options;
    },
    run: () => Promise.resolve(0),
  };
  const before: readonly AnyCommand[] = COMMANDS.filter((c) => c.name !== 'pull');
  const commands: readonly AnyCommand[] = [...before, pull];

  void test('it parses with its own options and no change to the parser', () => {
    assert.deepEqual(parseArgs(['pull', 'fields', '--out', 'f.json', '--json'], commands), {
      kind: 'call', command: pull, options: { what: 'fields', out: 'f.json', json: true },
    });
    assert.deepEqual(parseArgs(['help', 'pull'], commands), { kind: 'help', topic: pull });
    assert.throws(() => parseArgs(['pull', 'fields', '--lead', 'x'], commands), /unknown option --lead for pull/);
    assert.throws(() => parseArgs(['pull'], commands), (e: unknown) => e instanceof UsageError && e.command === 'pull');
    assert.throws(() => parseArgs(['lint'], commands), /expected validate, run or pull$/);
  });

  void test('its help, and the program help, follow from its specs', () => {
    assert.match(helpText(pull, commands), /^Usage: marketo-webhook pull fields\|lead\|tokens \[--out FILE\] \[--json\]$/m);
    assert.match(helpText(pull, commands), /^ {2}--out FILE +where to write it$/m);
    const help = helpText(undefined, commands);
    assert.match(help, /^ {2}pull +write data pulled from a Marketo instance to a file$/m);
    assert.match(help, /^Connection:$/m);
    // Its topics join the program's, each section once.
    assert.equal(help.split(FIELDS_TOPIC).length, 2);
    // --fields is listed among the options of the program only while every command takes it.
    assert.match(helpText(undefined, before), /^ {2}--fields describe\.json +/m);
    assert.doesNotMatch(help, /^ {2}--fields/m);
    assert.match(help, /^ {2}--json +print exactly one JSON document/m);
    assert.match(usageHint(undefined, commands), /marketo-webhook pull fields\|lead\|tokens/);
  });
});
