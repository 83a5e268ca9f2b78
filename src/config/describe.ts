/**
 * Self-documentation of the configuration schema, for `congthu config describe`.
 */
import { z } from 'zod';
import { configSchema, envBindings } from './schema.ts';

export interface OptionDescription {
  option: string;
  env: string | null;
  type: string;
  default: unknown;
  description: string;
}

function unwrap(s: z.ZodType): { inner: z.ZodType; def: unknown; optional: boolean } {
  let inner: z.ZodType = s;
  let def: unknown = undefined;
  let optional = false;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      def = inner.def.defaultValue;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodOptional) {
      optional = true;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodPrefault) {
      inner = inner.unwrap() as z.ZodType;
    } else break;
  }
  return { inner, def, optional };
}

function typeName(s: z.ZodType): string {
  if (s instanceof z.ZodEnum) return (s.options as string[]).join(' | ');
  if (s instanceof z.ZodNumber) return 'integer';
  if (s instanceof z.ZodString) return 'string';
  if (s instanceof z.ZodArray) return `list of ${typeName(s.element as z.ZodType)}`;
  if (s instanceof z.ZodBoolean) return 'boolean';
  return 'value';
}

export function describeConfig(): OptionDescription[] {
  const rows: OptionDescription[] = [];
  const walk = (obj: z.ZodObject, prefix: string): void => {
    for (const [key, field] of Object.entries(obj.shape)) {
      const p = prefix ? `${prefix}.${key}` : key;
      const { inner, def } = unwrap(field as z.ZodType);
      if (inner instanceof z.ZodObject) {
        walk(inner, p);
        continue;
      }
      rows.push({
        option: p,
        env: envBindings.find((b) => b.path === p)?.env ?? null,
        type: typeName(inner),
        default: def ?? null,
        description: (field as z.ZodType).description ?? inner.description ?? '',
      });
    }
  };
  walk(configSchema, '');
  return rows;
}
