/**
 * The append-only audit log (DESIGN.md "Durability and correctness rules"): who did what, to what,
 * when, from where and why. Written in the same transaction as the change it records, so a change
 * without its audit event can never be committed. The tables refuse UPDATE and DELETE (triggers).
 * Never put secrets (passwords, tokens, hashes) into `details`.
 */
import type { Db, Tx } from './datastore.ts';

/** Who acts: a signed-in account, the local operator at the CLI, or the system's own jobs. */
export interface Actor {
  readonly id: string; // account id, 'cli:<os user>', or 'system'
  readonly label?: string; // address or name
  readonly sourceIp?: string | null;
}

export interface AuditEvent {
  action: string;
  targetType: string;
  targetId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

const SECRET_KEY = /pass|secret|token|hash|otp/i;

function scrub(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
  return out;
}

export async function appendAudit(tx: Tx, actor: Actor, event: AuditEvent, at: Date): Promise<void> {
  await tx.db
    .insertInto('audit_events')
    .values({
      at: at.getTime(),
      actor: actor.id,
      actor_label: actor.label ?? null,
      action: event.action,
      target_type: event.targetType,
      target_id: event.targetId ?? null,
      source_ip: actor.sourceIp ?? null,
      reason: event.reason ?? null,
      details: event.details ? JSON.stringify(scrub(event.details)) : null,
    })
    .execute();
}

export interface AuditRecord {
  id: number;
  at: Date;
  actor: string;
  actorLabel: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  sourceIp: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

export async function listAudit(
  db: Db,
  filter: { targetType?: string; targetId?: string; action?: string; limit?: number } = {},
): Promise<AuditRecord[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  if (filter.action) q = q.where('action', '=', filter.action);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at),
    actor: r.actor,
    actorLabel: r.actor_label,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    sourceIp: r.source_ip,
    reason: r.reason,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  }));
}
