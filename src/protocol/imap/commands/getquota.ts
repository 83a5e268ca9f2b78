/** GETQUOTA (RFC 9208 §4.2): `getquota = "GETQUOTA" SP quota-root-name`, an astring. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface GetquotaCommand {
  readonly name: 'GETQUOTA';
  readonly tag: string;
  readonly root: string;
}

export const getquota: CommandSpec<GetquotaCommand> = {
  name: 'GETQUOTA',
  states: AUTHENTICATED,
  rfc: 'RFC 9208 §4.2',
  parse(r, head) {
    r.sp();
    const root = r.astringText('quota root');
    r.end();
    return { name: 'GETQUOTA', tag: head.tag, root };
  },
};
