/**
 * The chain of custody of an incident: its timeline as append-only rows (`incident_events`), each
 * hashed with the one before it, so that a removed, inserted or altered event is detectable:
 *
 *   hash = SHA-256( prev_hash "\n" incident_id "|" seq "|" at "|" actor "|" kind "|" details-JSON )
 *
 * and the SHA-256 of quarantined blobs, computed from their bytes (a blob's id is already the
 * SHA-256 of its content; computing it again at containment checks the stored bytes).
 * Callers append inside a write transaction that holds the incident's lock (`lockIncident`).
 */
import { createHash } from 'node:crypto';
import type { Actor, BlobStore, Tx } from '../../store/index.ts';

export function lockIncident(tx: Tx, incidentId: string): Promise<void> {
  return tx.lock(`incident:${incidentId}`);
}

export interface EventRow {
  incident_id: string;
  seq: number;
  at: number;
  actor: string;
  actor_label: string | null;
  kind: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function eventHash(prev: string, e: Omit<EventRow, 'prev_hash' | 'hash' | 'actor_label'>): string {
  return createHash('sha256')
    .update(`${prev}\n${e.incident_id}|${e.seq}|${e.at}|${e.actor}|${e.kind}|${e.details}`)
    .digest('hex');
}

export async function appendIncidentEvent(
  tx: Tx,
  incidentId: string,
  actor: Actor,
  kind: string,
  details: Record<string, unknown>,
  at: Date,
): Promise<EventRow> {
  const last = await tx.db
    .selectFrom('incident_events')
    .select(['seq', 'hash'])
    .where('incident_id', '=', incidentId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const base = {
    incident_id: incidentId,
    seq: (last ? Number(last.seq) : 0) + 1,
    at: at.getTime(),
    actor: actor.id,
    kind,
    details: JSON.stringify(details),
  };
  const prev = last?.hash ?? '';
  const row: EventRow = {
    ...base,
    actor_label: actor.label ?? null,
    prev_hash: prev,
    hash: eventHash(prev, base),
  };
  await tx.db.insertInto('incident_events').values(row).execute();
  return row;
}

/** True when every event links to the one before and its hash matches its content. */
export function chainIntact(rows: readonly EventRow[]): boolean {
  let prev = '';
  let seq = 0;
  for (const r of [...rows].sort((a, b) => Number(a.seq) - Number(b.seq))) {
    seq++;
    if (Number(r.seq) !== seq || r.prev_hash !== prev) return false;
    const expected = eventHash(prev, {
      incident_id: r.incident_id,
      seq: Number(r.seq),
      at: Number(r.at),
      actor: r.actor,
      kind: r.kind,
      details: r.details,
    });
    if (expected !== r.hash) return false;
    prev = r.hash;
  }
  return true;
}

/** The SHA-256 of a stored blob, computed from its bytes (streamed). */
export async function sha256OfBlob(blobs: BlobStore, id: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of await blobs.get(id)) h.update(chunk as Buffer);
  return h.digest('hex');
}
