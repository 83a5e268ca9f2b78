import type { Migration } from './types.ts';
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-mailbox.ts';
import { migration0003 } from './0003-queue.ts';
import { migration0004 } from './0004-calendar.ts';
import { migration0005 } from './0005-sessions.ts';
import { migration0006 } from './0006-lifecycle.ts';
import { migration0007 } from './0007-search.ts';
import { migration0008 } from './0008-delegation.ts';
import { migration0009 } from './0009-requests.ts';
import { migration0010 } from './0010-envelope.ts';
import { migration0011 } from './0011-faults.ts';
import { migration0012 } from './0012-incidents.ts';
import { migration0013 } from './0013-search-exact.ts';
import { migration0014 } from './0014-directory-hidden.ts';

/** Every migration, in order. Append only. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
];
export type { Migration, Dialect } from './types.ts';
