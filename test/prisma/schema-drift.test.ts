// schema.prisma and prisma/migrations must describe the same tables. On machines without the
// Prisma schema engine nothing else checks that (`prisma migrate dev` would), so this test applies
// the migrations to a fresh database, reads the catalog back, and compares it with what Prisma's
// PostgreSQL connector would create for schema.prisma: tables, columns (type, nullability,
// default), primary keys, unique and plain indexes, foreign keys with their actions, and enums.
//
// schema.prisma is parsed by Prisma's own parser: the prisma-schema wasm module that ships in the
// `prisma` package (node_modules/prisma/build/prisma_schema_build_bg.wasm, the code behind
// `prisma generate` and getDMMF), loaded directly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCHEMA_PATH = join(ROOT, 'prisma', 'schema.prisma');
const POSTGRES_MAX_IDENTIFIER = 63;

// ---------------------------------------------------------------------------------------------
// Prisma's schema parser (wasm-bindgen module; only four imports, so it is loaded by hand)

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  type: string;
  nativeType: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  schema: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}
interface DmmfEnum {
  name: string;
  dbName: string | null;
  values: { name: string; dbName: string | null }[];
}
interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

// lib is ES2023 without DOM, so the WebAssembly global is typed here, as far as it is used.
interface WasmTable {
  grow(delta: number): number;
  get(index: number): unknown;
  set(index: number, value: unknown): void;
}
interface WasmModuleCtor {
  new (bytes: Uint8Array): object;
  imports(module: object): { module: string; name: string; kind: string }[];
}
const Wasm = (
  globalThis as unknown as {
    WebAssembly: { Module: WasmModuleCtor; Instance: new (module: object, imports: object) => { exports: unknown } };
  }
).WebAssembly;

function loadPrismaSchemaWasm(): (schema: string) => Datamodel {
  const require = createRequire(join(ROOT, 'package.json'));
  const wasmPath = join(dirname(require.resolve('prisma/package.json')), 'build', 'prisma_schema_build_bg.wasm');
  const module = new Wasm.Module(readFileSync(wasmPath));
  type Exports = {
    memory: { buffer: ArrayBuffer };
    __wbindgen_externrefs: WasmTable;
    __wbindgen_malloc(size: number, align: number): number;
    __wbindgen_free(ptr: number, size: number, align: number): void;
    __externref_table_dealloc(idx: number): void;
    __wbindgen_start(): void;
    get_dmmf(ptr: number, len: number): [number, number, number, number];
  };
  let wasm: Exports | undefined;
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
  const text = (ptr: number, len: number) => decoder.decode(new Uint8Array(wasm!.memory.buffer, ptr, len));
  const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
  for (const imp of Wasm.Module.imports(module)) {
    imports[imp.module] ??= {};
    const ns = imports[imp.module]!;
    const n = imp.name;
    if (n.startsWith('__wbg_Error_')) ns[n] = (p, l) => new Error(text(p!, l!));
    else if (n.startsWith('__wbg_set_message_'))
      ns[n] = () => undefined; // panic message registry
    else if (n.startsWith('__wbg___wbindgen_throw_'))
      ns[n] = (p, l) => {
        throw new Error(text(p!, l!));
      };
    else if (n === '__wbindgen_init_externref_table') {
      ns[n] = () => {
        const t = wasm!.__wbindgen_externrefs;
        const base = t.grow(4);
        t.set(0, undefined);
        t.set(base, undefined);
        t.set(base + 1, null);
        t.set(base + 2, true);
        t.set(base + 3, false);
      };
    } else {
      throw new Error(
        `${wasmPath} wants an import this loader does not provide (${imp.module}.${n}); the prisma package changed — update loadPrismaSchemaWasm`,
      );
    }
  }
  wasm = new Wasm.Instance(module, imports).exports as Exports;
  wasm.__wbindgen_start();
  const w = wasm;
  return (schema) => {
    const bytes = new TextEncoder().encode(JSON.stringify({ prismaSchema: schema, noColor: true }));
    const ptr = w.__wbindgen_malloc(bytes.length, 1);
    new Uint8Array(w.memory.buffer, ptr, bytes.length).set(bytes);
    const [out, outLen, errIdx, isErr] = w.get_dmmf(ptr, bytes.length);
    if (isErr) {
      const error = w.__wbindgen_externrefs.get(errIdx) as Error;
      w.__externref_table_dealloc(errIdx);
      throw new Error(`schema.prisma does not validate: ${error.message}`);
    }
    try {
      return (JSON.parse(text(out, outLen)) as { datamodel: Datamodel }).datamodel;
    } finally {
      w.__wbindgen_free(out, outLen, 1);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// The catalog: one flat map of "what" → "how", from either side

type Catalog = Map<string, string>;

const ident = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Prisma's default constraint names (ConstraintNames in prisma-engines), truncated to 63 bytes. */
function constraintName(table: string, columns: string[], suffix: 'pkey' | 'key' | 'idx' | 'fkey'): string {
  let base = columns.length ? `${table}_${columns.join('_')}` : table;
  const room = POSTGRES_MAX_IDENTIFIER - suffix.length - 1;
  if (base.length > room) base = base.slice(0, room);
  return `${base}_${suffix}`;
}

const ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
  c: 'CASCADE',
  r: 'RESTRICT',
  a: 'NO ACTION',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/** The PostgreSQL type Prisma creates for a scalar field, as format_type() prints it. */
function columnType(f: DmmfField, enumDbNames: Map<string, string>): string {
  let base: string;
  if (f.kind === 'enum') {
    base = ident(enumDbNames.get(f.type) ?? f.type);
  } else if (f.nativeType) {
    const [name, args] = f.nativeType;
    const a = args.length ? `(${args.join(',')})` : '';
    const native: Record<string, string> = {
      Text: 'text',
      VarChar: `character varying${a}`,
      Char: `character${a}`,
      Uuid: 'uuid',
      Xml: 'xml',
      Inet: 'inet',
      Citext: 'citext',
      Bit: `bit${a}`,
      VarBit: `bit varying${a}`,
      Integer: 'integer',
      SmallInt: 'smallint',
      BigInt: 'bigint',
      Oid: 'oid',
      DoublePrecision: 'double precision',
      Real: 'real',
      Decimal: `numeric${a}`,
      Money: 'money',
      Boolean: 'boolean',
      Timestamp: `timestamp${a} without time zone`,
      Timestamptz: `timestamp${a} with time zone`,
      Date: 'date',
      Time: `time${a} without time zone`,
      Timetz: `time${a} with time zone`,
      Json: 'json',
      JsonB: 'jsonb',
      ByteA: 'bytea',
    };
    const t = native[name];
    if (t === undefined)
      throw new Error(`schema-drift: native type @db.${name} is not mapped yet; add it to columnType()`);
    base = t;
  } else {
    const scalar: Record<string, string> = {
      String: 'text',
      Int: 'integer',
      BigInt: 'bigint',
      Float: 'double precision',
      Decimal: 'numeric(65,30)',
      Boolean: 'boolean',
      DateTime: 'timestamp(3) without time zone',
      Json: 'jsonb',
      Bytes: 'bytea',
    };
    const t = scalar[f.type];
    if (t === undefined)
      throw new Error(`schema-drift: scalar type ${f.type} is not mapped yet; add it to columnType()`);
    base = t;
  }
  return f.isList ? `${base}[]` : base;
}

/** The column default Prisma creates, as pg_get_expr() prints it; null when none. */
function columnDefault(f: DmmfField, table: string, column: string, type: string): string | null {
  if (!f.hasDefaultValue) return null;
  const d = f.default;
  if (d !== null && typeof d === 'object' && !Array.isArray(d)) {
    const fn = d as { name: string; args: unknown[] };
    switch (fn.name) {
      case 'autoincrement':
        return `nextval('${table}_${column}_seq'::regclass)`; // SERIAL's sequence
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        return null; // generated by the client, not the database
      case 'dbgenerated':
        return String(fn.args[0] ?? '');
      default:
        throw new Error(`schema-drift: default function ${fn.name}() is not mapped yet; add it to columnDefault()`);
    }
  }
  if (Array.isArray(d)) {
    if (d.length === 0) return `ARRAY[]::${type}`;
    throw new Error('schema-drift: non-empty list defaults are not mapped yet; add them to columnDefault()');
  }
  if (f.kind === 'enum') return `${sqlString(String(d))}::${type}`;
  switch (f.type) {
    case 'String':
      return `${sqlString(String(d))}::${type}`;
    case 'Boolean':
      return String(d);
    case 'Int':
    case 'BigInt':
    case 'Float':
    case 'Decimal':
      return String(d).startsWith('-') ? `${sqlString(String(d))}::${type}` : String(d);
    case 'Json':
      return `${sqlString(String(d))}::${type}`;
    default:
      throw new Error(`schema-drift: literal default for ${f.type} is not mapped yet; add it to columnDefault()`);
  }
}

/** What Prisma's PostgreSQL connector creates for the schema. */
function expectedCatalog(datamodel: Datamodel): Catalog {
  const c: Catalog = new Map();
  const enumDbNames = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  for (const e of datamodel.enums)
    c.set(`enum ${e.dbName ?? e.name}`, e.values.map((v) => v.dbName ?? v.name).join(', '));

  const tableOf = new Map(datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (modelName: string, fieldName: string): string => {
    const model = datamodel.models.find((m) => m.name === modelName)!;
    const field = model.fields.find((f) => f.name === fieldName)!;
    return field.dbName ?? field.name;
  };

  for (const m of datamodel.models) {
    if (m.schema && m.schema !== 'public')
      throw new Error(`schema-drift: model ${m.name} is in schema ${m.schema}; only public is compared`);
    const table = m.dbName ?? m.name;
    c.set(`table ${table}`, 'exists');
    for (const f of m.fields) {
      if (f.kind === 'object') {
        if (f.relationFromFields?.length) {
          const cols = f.relationFromFields.map((n) => columnOf(m.name, n));
          const refCols = (f.relationToFields ?? []).map((n) => columnOf(f.type, n));
          const required = f.relationFromFields.every((n) => m.fields.find((x) => x.name === n)?.isRequired);
          const onDelete = ACTIONS[f.relationOnDelete ?? (required ? 'Restrict' : 'SetNull')];
          const onUpdate = ACTIONS[f.relationOnUpdate ?? 'Cascade'];
          // (a relation's `map:` name is not in the DMMF; this assumes the default name)
          c.set(
            `foreign key ${constraintName(table, cols, 'fkey')}`,
            `${table}(${cols.join(', ')}) REFERENCES ${tableOf.get(f.type)}(${refCols.join(', ')}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`,
          );
        }
        continue;
      }
      if (f.kind === 'unsupported')
        throw new Error(`schema-drift: Unsupported() field ${m.name}.${f.name} is not handled`);
      const column = f.dbName ?? f.name;
      const type = columnType(f, enumDbNames);
      // Prisma leaves scalar lists nullable even when the field is required.
      const nullable = !f.isRequired || f.isList;
      const dflt = columnDefault(f, table, column, type);
      c.set(
        `column ${table}.${column}`,
        `${type}${nullable ? '' : ' NOT NULL'}${dflt === null ? '' : ` DEFAULT ${dflt}`}`,
      );
    }
  }

  for (const idx of datamodel.indexes) {
    const table = tableOf.get(idx.model)!;
    const cols = idx.fields.map((f) => columnOf(idx.model, f.name));
    const colsSql = idx.fields.map((f, i) => `${cols[i]}${f.sortOrder === 'desc' ? ' DESC' : ''}`).join(', ');
    if (idx.type === 'id') {
      c.set(`primary key ${table}`, `${idx.dbName ?? constraintName(table, [], 'pkey')} (${cols.join(', ')})`);
    } else if (idx.type === 'unique' || idx.type === 'normal') {
      const unique = idx.type === 'unique';
      const name = idx.dbName ?? constraintName(table, cols, unique ? 'key' : 'idx');
      const method = (idx.algorithm ?? 'BTree').toLowerCase();
      c.set(`index ${name}`, `${unique ? 'UNIQUE ' : ''}${table} USING ${method} (${colsSql})`);
    } else {
      throw new Error(`schema-drift: ${idx.type} indexes are not handled`);
    }
  }
  return c;
}

/** What the migrated database actually has (schema public, Prisma's own history table excluded). */
async function actualCatalog(url: string): Promise<Catalog> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const c: Catalog = new Map();
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql)).rows;

    for (const r of await q<{ name: string; labels: string[] }>(`
      SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = 'public' GROUP BY t.typname`)) {
      c.set(`enum ${r.name}`, r.labels.join(', '));
    }

    for (const r of await q<{ table_name: string; table_type: string }>(`
      SELECT table_name, table_type FROM information_schema.tables
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`)) {
      c.set(`table ${r.table_name}`, r.table_type === 'BASE TABLE' ? 'exists' : r.table_type);
    }

    // information_schema for presence, nullability and default; format_type for the exact type
    for (const r of await q<{
      table_name: string;
      column_name: string;
      is_nullable: string;
      column_default: string | null;
      type: string;
    }>(`
      SELECT c.table_name, c.column_name, c.is_nullable, c.column_default,
             format_type(a.atttypid, a.atttypmod) AS type
        FROM information_schema.columns c
        JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
       WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'`)) {
      c.set(
        `column ${r.table_name}.${r.column_name}`,
        `${r.type}${r.is_nullable === 'YES' ? '' : ' NOT NULL'}${r.column_default === null ? '' : ` DEFAULT ${r.column_default}`}`,
      );
    }

    for (const r of await q<{
      table_name: string;
      name: string;
      is_primary: boolean;
      is_unique: boolean;
      method: string;
      cols: string[];
      partial: boolean;
    }>(`
      SELECT t.relname AS table_name, i.relname AS name, x.indisprimary AS is_primary, x.indisunique AS is_unique,
             am.amname AS method, x.indpred IS NOT NULL AS partial,
             ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true)
                          || CASE WHEN x.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
                     FROM generate_series(1, x.indnkeyatts) AS k ORDER BY k) AS cols
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_am am ON am.oid = i.relam
       WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`)) {
      if (r.is_primary) c.set(`primary key ${r.table_name}`, `${r.name} (${r.cols.join(', ')})`);
      else
        c.set(
          `index ${r.name}`,
          `${r.is_unique ? 'UNIQUE ' : ''}${r.table_name} USING ${r.method} (${r.cols.join(', ')})${r.partial ? ' WHERE …' : ''}`,
        );
    }

    for (const r of await q<{
      name: string;
      table_name: string;
      cols: string[];
      ref_table: string;
      ref_cols: string[];
      on_delete: string;
      on_update: string;
    }>(`
      SELECT con.conname AS name, t.relname AS table_name, rt.relname AS ref_table,
             ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS cols,
             ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS ref_cols,
             con.confdeltype AS on_delete, con.confupdtype AS on_update
        FROM pg_constraint con
        JOIN pg_class t ON t.oid = con.conrelid
        JOIN pg_class rt ON rt.oid = con.confrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE con.contype = 'f' AND n.nspname = 'public'`)) {
      c.set(
        `foreign key ${r.name}`,
        `${r.table_name}(${r.cols.join(', ')}) REFERENCES ${r.ref_table}(${r.ref_cols.join(', ')}) ON DELETE ${ACTIONS[r.on_delete]} ON UPDATE ${ACTIONS[r.on_update]}`,
      );
    }

    // Constraints other than PK/FK (CHECK, UNIQUE/EXCLUDE constraints) cannot come from schema.prisma.
    for (const r of await q<{ name: string; table_name: string; def: string }>(`
      SELECT con.conname AS name, t.relname AS table_name, pg_get_constraintdef(con.oid) AS def
        FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE con.contype IN ('c', 'x') AND n.nspname = 'public'`)) {
      c.set(`constraint ${r.name}`, `${r.table_name} ${r.def}`);
    }
    return c;
  } finally {
    await client.end();
  }
}

/** Human-readable differences; empty when the two agree. */
function diffCatalogs(fromSchema: Catalog, fromMigrations: Catalog): string[] {
  const out: string[] = [];
  const keys = [...new Set([...fromSchema.keys(), ...fromMigrations.keys()])].sort();
  for (const k of keys) {
    const want = fromSchema.get(k);
    const have = fromMigrations.get(k);
    if (want === have) continue;
    if (have === undefined) out.push(`${k}: in schema.prisma (${want}) but not created by the migrations`);
    else if (want === undefined) out.push(`${k}: created by the migrations (${have}) but not in schema.prisma`);
    else out.push(`${k}: schema.prisma wants ${want}; the migrations create ${have}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const getDatamodel = loadPrismaSchemaWasm();
const schemaText = readFileSync(SCHEMA_PATH, 'utf8');
let db: TestDatabase;
let actual: Catalog;

beforeAll(async () => {
  db = await createTestDatabase({ rulebooks: [] });
  actual = await actualCatalog(db.url);
});
afterAll(async () => db?.drop());

/**
 * The differences an edit to schema.prisma (not followed by a migration) introduces — relative to
 * the unedited schema, so that a real drift fails only the first test, not these too.
 */
function driftAfter(edit: (schema: string) => string): string[] {
  const edited = edit(schemaText);
  expect(edited).not.toBe(schemaText); // the edit must apply, or the check proves nothing
  const baseline = new Set(diffCatalogs(expectedCatalog(getDatamodel(schemaText)), actual));
  return diffCatalogs(expectedCatalog(getDatamodel(edited)), actual).filter((d) => !baseline.has(d));
}

describe('schema.prisma and prisma/migrations', () => {
  it('describe the same tables, columns, keys, indexes, foreign keys and enums', () => {
    const expected = expectedCatalog(getDatamodel(schemaText));
    expect(expected.size).toBeGreaterThan(100); // the parse really produced the schema
    expect(diffCatalogs(expected, actual)).toEqual([]);
  });

  it('reads the parts that matter from the database', () => {
    expect(actual.get('index unit_rulebook_id_name_key')).toBe('UNIQUE unit USING btree (rulebook_id, name)');
    expect(actual.get('foreign key finding_unit_id_fkey')).toBe(
      'finding(unit_id) REFERENCES unit(id) ON DELETE RESTRICT ON UPDATE CASCADE',
    );
    expect(actual.get('column finding.status')).toBe(`"FindingStatus" NOT NULL DEFAULT 'filed'::"FindingStatus"`);
    expect(actual.get('enum MonthState')).toBe('open, closed');
    expect(actual.get('primary key assessment_month')).toBe('assessment_month_pkey (rulebook_id, month)');
  });
});

describe('the drift check notices a schema.prisma change without a migration', () => {
  it('a new field', () => {
    const d = driftAfter((s) => s.replace(/(model Member \{\n)/, '$1  driftProbe String? @map("drift_probe")\n'));
    expect(d).toEqual(['column member.drift_probe: in schema.prisma (text) but not created by the migrations']);
  });

  it('a new model', () => {
    const d = driftAfter((s) => `${s}\nmodel DriftProbe {\n  id Int @id\n  @@map("drift_probe")\n}\n`);
    expect(d).toContain('table drift_probe: in schema.prisma (exists) but not created by the migrations');
  });

  it('a field made optional, a changed default, a changed native type', () => {
    expect(
      driftAfter((s) =>
        s.replace('actorLabel String   @map("actor_label")', 'actorLabel String?  @map("actor_label")'),
      ),
    ).toEqual(['column audit_log.actor_label: schema.prisma wants text; the migrations create text NOT NULL']);
    expect(driftAfter((s) => s.replace('@default("routine")', '@default("other")'))).toEqual([
      `column finding.source: schema.prisma wants text NOT NULL DEFAULT 'other'::text; the migrations create text NOT NULL DEFAULT 'routine'::text`,
    ]);
    expect(driftAfter((s) => s.replace('@db.Decimal(7, 3)', '@db.Decimal(9, 3)'))[0]).toMatch(
      /^column finding.value: .*numeric\(9,3\).*numeric\(7,3\)/,
    );
  });

  it('a removed unique, an added index, a changed relation action', () => {
    expect(driftAfter((s) => s.replace('@@unique([platform, scope])\n', ''))).toEqual([
      'index channel_binding_platform_scope_key: created by the migrations (UNIQUE channel_binding USING btree (platform, scope)) but not in schema.prisma',
    ]);
    expect(driftAfter((s) => s.replace('@@map("notification")', '@@index([state])\n  @@map("notification")'))).toEqual([
      'index notification_state_idx: in schema.prisma (notification USING btree (state)) but not created by the migrations',
    ]);
    expect(
      driftAfter((s) =>
        s.replace(
          'unit       Unit   @relation(fields: [unitId], references: [id])',
          'unit       Unit   @relation(fields: [unitId], references: [id], onDelete: Cascade)',
        ),
      ),
    ).toEqual([
      'foreign key unit_alias_unit_id_fkey: schema.prisma wants unit_alias(unit_id) REFERENCES unit(id) ON DELETE CASCADE ON UPDATE CASCADE; the migrations create unit_alias(unit_id) REFERENCES unit(id) ON DELETE RESTRICT ON UPDATE CASCADE',
    ]);
  });

  it('an enum value added', () => {
    expect(driftAfter((s) => s.replace('  cancelled\n}', '  cancelled\n  expired\n}'))).toEqual([
      'enum NotificationState: schema.prisma wants claimed, sent, failed, cancelled, expired; the migrations create claimed, sent, failed, cancelled',
    ]);
  });
});
