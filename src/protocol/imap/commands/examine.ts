/** EXAMINE (RFC 9051 §6.3.3): SELECT's arguments, read-only. */
import { parseSelectArguments, type SelectArguments } from './select.ts';
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface ExamineCommand extends SelectArguments {
  readonly name: 'EXAMINE';
  readonly tag: string;
}

export const examine: CommandSpec<ExamineCommand> = {
  name: 'EXAMINE',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.3',
  parse(r, head) {
    return { name: 'EXAMINE', tag: head.tag, ...parseSelectArguments(r) };
  },
};
