/**
 * CREATE (RFC 9051 §6.3.4) with the USE parameter of SPECIAL-USE (RFC 6154 §3):
 *   create        = "CREATE" SP mailbox [create-params]
 *   create-params = SP "(" create-param *(SP create-param) ")"      ; RFC 4466
 *   create-param  =/ "USE" SP "(" [use-attr *(SP use-attr)] ")"
 *   use-attr      = "\All" / "\Archive" / "\Drafts" / "\Flagged" / "\Junk" / "\Sent" / "\Trash"
 *                   / use-attr-ext                                   ; flag-extension
 */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface CreateCommand {
  readonly name: 'CREATE';
  readonly tag: string;
  readonly mailbox: string;
  /** Special-use attributes asked for, canonical case for the RFC 6154 ones; empty when none. */
  readonly specialUse: readonly string[];
}

const USE_ATTRS = new Map(
  ['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash'].map((a) => [
    a.toLowerCase(),
    a,
  ]),
);

export const create: CommandSpec<CreateCommand> = {
  name: 'CREATE',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.4, RFC 6154 §3',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    const specialUse: string[] = [];
    if (r.trySp()) {
      r.expect(0x28, '"(" of create parameters');
      let seenUse = false;
      do {
        const param = r.word();
        if (param !== 'USE' || seenUse)
          r.fail(param ? `unsupported create parameter ${param}` : 'expected USE');
        seenUse = true;
        r.sp();
        r.expect(0x28, '"(" of USE attributes');
        if (r.peek() !== 0x29) {
          do {
            r.arg();
            r.expect(0x5c, '"\\" of a special-use attribute');
            const attr = `\\${r.atom('special-use attribute')}`;
            specialUse.push(USE_ATTRS.get(attr.toLowerCase()) ?? attr);
          } while (r.trySp());
        }
        r.expect(0x29, '")" closing USE attributes');
      } while (r.trySp());
      r.expect(0x29, '")" closing create parameters');
    }
    r.end();
    return { name: 'CREATE', tag: head.tag, mailbox, specialUse };
  },
};
