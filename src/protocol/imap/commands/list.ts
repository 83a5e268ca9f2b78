/**
 * LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819) and SPECIAL-USE
 * (RFC 6154 §4):
 *   list             = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
 *   list-select-opts = "(" [(*(list-select-opt SP) list-select-base-opt *(SP list-select-opt))
 *                           / (list-select-independent-opt *(SP list-select-independent-opt))] ")"
 *   list-select-opt  = "SUBSCRIBED" / "SPECIAL-USE" (base) / "REMOTE" (independent)
 *                      / "RECURSIVEMATCH" (mod: needs a base option, RFC 5258 §3)
 *   mbox-or-pat      = list-mailbox / patterns;  patterns = "(" list-mailbox *(SP list-mailbox) ")"
 *   list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"
 *   return-option    = "SUBSCRIBED" / "CHILDREN" / "SPECIAL-USE"
 *                      / "STATUS" SP "(" status-att *(SP status-att) ")"
 */
import type { CommandReader } from '../reader.ts';
import { AUTHENTICATED, type CommandSpec } from './spec.ts';
import { parseStatusItems, type StatusItem } from './status.ts';

export interface ListSelectOptions {
  readonly subscribed: boolean;
  readonly remote: boolean;
  readonly recursiveMatch: boolean;
  readonly specialUse: boolean;
}

export interface ListReturnOptions {
  readonly subscribed: boolean;
  readonly children: boolean;
  readonly specialUse: boolean;
  /** LIST-STATUS: the STATUS items to send for each listed mailbox. */
  readonly status?: readonly StatusItem[];
}

export interface ListCommand {
  readonly name: 'LIST';
  readonly tag: string;
  readonly reference: string;
  /** One or more patterns, decoded; `%` and `*` are wildcards, everything else is literal. */
  readonly patterns: readonly string[];
  readonly select: ListSelectOptions;
  readonly return: ListReturnOptions;
  /** Selection options, several patterns or RETURN were used (RFC 5258 extended LIST). */
  readonly extended: boolean;
}

function parseSelectOptions(r: CommandReader): ListSelectOptions {
  r.expect(0x28, '"(" of selection options');
  const o = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
  if (r.peek() !== 0x29) {
    do {
      r.arg();
      const opt = r.word();
      if (opt === 'SUBSCRIBED') o.subscribed = true;
      else if (opt === 'REMOTE') o.remote = true;
      else if (opt === 'RECURSIVEMATCH') o.recursiveMatch = true;
      else if (opt === 'SPECIAL-USE') o.specialUse = true;
      else r.fail(opt ? `unknown selection option ${opt}` : 'expected a selection option');
    } while (r.trySp());
  }
  r.expect(0x29, '")" closing selection options');
  if (o.recursiveMatch && !o.subscribed && !o.specialUse) {
    r.fail('RECURSIVEMATCH needs SUBSCRIBED or SPECIAL-USE');
  }
  return o;
}

function parseReturnOptions(r: CommandReader): ListReturnOptions {
  r.sp();
  r.expect(0x28, '"(" of return options');
  const o: { subscribed: boolean; children: boolean; specialUse: boolean; status?: StatusItem[] } = {
    subscribed: false,
    children: false,
    specialUse: false,
  };
  if (r.peek() !== 0x29) {
    do {
      r.arg();
      const opt = r.word();
      if (opt === 'SUBSCRIBED') o.subscribed = true;
      else if (opt === 'CHILDREN') o.children = true;
      else if (opt === 'SPECIAL-USE') o.specialUse = true;
      else if (opt === 'STATUS' && !o.status) {
        r.sp();
        o.status = parseStatusItems(r);
      } else r.fail(opt ? `unknown or repeated return option ${opt}` : 'expected a return option');
    } while (r.trySp());
  }
  r.expect(0x29, '")" closing return options');
  return o;
}

export const list: CommandSpec<ListCommand> = {
  name: 'LIST',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.9, RFC 5258, RFC 5819, RFC 6154',
  parse(r, head) {
    r.sp();
    let extended = false;
    let select: ListSelectOptions = {
      subscribed: false,
      remote: false,
      recursiveMatch: false,
      specialUse: false,
    };
    if (r.peek() === 0x28) {
      select = parseSelectOptions(r);
      extended = true;
      r.sp();
    }
    const reference = r.mailbox();
    r.sp();
    const patterns: string[] = [];
    if (r.peek() === 0x28) {
      extended = true;
      r.skip();
      do patterns.push(r.listMailbox());
      while (r.trySp());
      r.expect(0x29, '")" closing the patterns');
    } else {
      patterns.push(r.listMailbox());
    }
    let ret: ListReturnOptions = { subscribed: false, children: false, specialUse: false };
    if (r.trySp()) {
      if (!r.tryWord('RETURN')) r.fail('expected RETURN');
      ret = parseReturnOptions(r);
      extended = true;
    }
    r.end();
    return { name: 'LIST', tag: head.tag, reference, patterns, select, return: ret, extended };
  },
};
