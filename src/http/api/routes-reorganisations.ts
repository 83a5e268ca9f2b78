/**
 * Reorganisations over REST (REQUIREMENTS "The transition"): one operation (merge, rename,
 * move-unit, dissolve) planned and, unless `dryRun`, applied in one transaction. Operator only.
 */
import type { FastifyInstance } from 'fastify';
import type { ReorgOperation } from '../../directory/index.ts';
import { callerOf, type ApiDeps } from './context.ts';

const text = (max = 300) => ({ type: 'string', minLength: 1, maxLength: max }) as const;

interface Body {
  operation: ReorgOperation['op'];
  dryRun: boolean;
  basis?: string;
  sources?: string[];
  into?: string;
  newAgency?: { name: string; category?: string };
  code?: string;
  name?: string;
  newCode?: string;
  unit?: string;
  to?: string;
  peopleTo?: string;
  successor?: string;
}

function operationOf(b: Body): ReorgOperation {
  const basis = b.basis ?? '';
  switch (b.operation) {
    case 'merge':
      return {
        op: 'merge',
        sources: b.sources ?? [],
        into: b.into ?? '',
        ...(b.newAgency ? { newAgency: b.newAgency } : {}),
        basis,
      };
    case 'rename':
      return {
        op: 'rename',
        code: b.code ?? '',
        name: b.name ?? '',
        ...(b.newCode ? { newCode: b.newCode } : {}),
        basis,
      };
    case 'move-unit':
      return { op: 'move-unit', unit: b.unit ?? '', to: b.to ?? '', basis };
    case 'dissolve':
      return {
        op: 'dissolve',
        code: b.code ?? '',
        ...(b.peopleTo ? { peopleTo: b.peopleTo } : {}),
        ...(b.successor ? { successor: b.successor } : {}),
        basis,
      };
  }
}

export function reorganisationRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: Body }>(
    '/api/v1/reorganisations',
    {
      schema: {
        summary:
          'Sáp nhập, đổi tên, chuyển, giải thể cơ quan, đơn vị trong một thao tác / Merge, rename, move or dissolve organisations in one operation',
        description:
          'dryRun: true trả về kế hoạch, không thay đổi gì / returns the plan and changes nothing. ' +
          'merge: sources, into (newAgency để tạo mới / to create it); rename: code, name, newCode (địa chỉ cũ thành bí danh / the old address stays an alias); ' +
          'move-unit: unit, to; dissolve: code, peopleTo, successor.',
        tags: ['directory'],
        body: {
          type: 'object',
          required: ['operation', 'dryRun'],
          additionalProperties: false,
          properties: {
            operation: { type: 'string', enum: ['merge', 'rename', 'move-unit', 'dissolve'] },
            dryRun: { type: 'boolean' },
            basis: text(500),
            sources: { type: 'array', minItems: 1, maxItems: 100, items: text(64) },
            into: text(64),
            newAgency: {
              type: 'object',
              required: ['name'],
              additionalProperties: false,
              properties: { name: text(), category: text(32) },
            },
            code: text(64),
            name: text(),
            newCode: text(64),
            unit: text(64),
            to: text(64),
            peopleTo: text(64),
            successor: text(64),
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const op = operationOf(req.body);
      const r = req.body.dryRun
        ? await deps.directory.reorganisations.plan(caller, op)
        : await deps.directory.reorganisations.apply(caller, op);
      return reply.code(req.body.dryRun ? 200 : 201).send(r);
    },
  );
}
