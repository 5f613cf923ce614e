// The commands of `marketo-webhook`, in the order help lists them. A new command is one module in
// this folder and one line here: parsing, dispatch and help follow from the list.
import type { Command } from '../command';
import { pull } from './pull';
import { run } from './run';
import { validate } from './validate';

/** A command whatever its options; each module keeps its own typed options. */
export type AnyCommand = Command<object>;

export const COMMANDS: readonly AnyCommand[] = [
  validate,
  run,
  pull,
];
