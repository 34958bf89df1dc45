import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import schema from '../../skill.schema.json';
import { problemCatalog } from '../errors/error-catalog';

const docsPath = fileURLToPath(
  new URL('../../../../docs/reference/skill-manifest.md', import.meta.url),
);
const docs = readFileSync(docsPath, 'utf8');

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: string[];
}

const root = schema as unknown as SchemaNode & { $defs: Record<string, SchemaNode> };

function deref(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = root.$defs[name];
  if (!target) throw new Error(`skill.schema.json: cannot resolve ${node.$ref}`);
  return target;
}

/** The objects whose fields the reference documents, by the prefix their rows use. */
function documentedObjects(): Array<{ prefix: string; node: SchemaNode }> {
  const properties = root.properties!;
  return [
    { prefix: '', node: root },
    { prefix: 'tools[].', node: deref(properties.tools!.items!) },
    { prefix: 'commands[].', node: deref(properties.commands!.items!) },
    { prefix: 'patterns[].', node: deref(properties.patterns!.items!) },
    { prefix: 'files[].', node: deref(properties.files!.items!) },
    { prefix: 'requires.', node: properties.requires! },
  ];
}

/** Every field path of the schema, with whether it is required: `tools[].name` → true. */
function schemaFields(): Map<string, boolean> {
  const fields = new Map<string, boolean>();
  for (const { prefix, node } of documentedObjects()) {
    for (const name of Object.keys(node.properties ?? {})) {
      fields.set(`${prefix}${name}`, (node.required ?? []).includes(name));
    }
  }
  return fields;
}

/** The rows of every Markdown table in the reference, grouped by the heading of its first column. */
function tables(): Map<string, string[][]> {
  const byHeader = new Map<string, string[][]>();
  const lines = docs.split('\n');
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
  for (let index = 0; index < lines.length - 1; index++) {
    const line = lines[index]!;
    if (!line.startsWith('|') || !/^\|[\s|:-]+\|$/.test(lines[index + 1]!.trim())) continue;
    const header = cells(line)[0]!;
    const rows = byHeader.get(header) ?? [];
    for (index += 2; index < lines.length && lines[index]!.startsWith('|'); index++)
      rows.push(cells(lines[index]!));
    byHeader.set(header, rows);
  }
  return byHeader;
}

const code = (cell: string | undefined) => /^`([^`]+)`$/.exec(cell ?? '')?.[1] ?? cell ?? '';

describe('docs/reference/skill-manifest.md', () => {
  const fieldRows = tables().get('Field') ?? [];
  const documented = new Map(fieldRows.map((row) => [code(row[0]), row]));

  it('has field tables', () => {
    expect(fieldRows.length).toBeGreaterThan(10);
  });

  it('documents every field of skill.schema.json', () => {
    const missing = [...schemaFields().keys()].filter((field) => !documented.has(field));
    expect(
      missing,
      `fields of skill.schema.json missing from ${docsPath}: ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('documents only fields that exist in skill.schema.json', () => {
    const fields = schemaFields();
    const unknown = [...documented.keys()].filter((field) => !fields.has(field));
    expect(
      unknown,
      `fields documented in ${docsPath} but not in skill.schema.json: ${unknown.join(', ')}`,
    ).toEqual([]);
  });

  it('says correctly whether each field is required', () => {
    const wrong = [...schemaFields()]
      .filter(([field]) => documented.has(field))
      .filter(([field, required]) => documented.get(field)![2] !== (required ? 'yes' : 'no'))
      .map(([field, required]) => `${field} should say ${required ? 'yes' : 'no'}`);
    expect(wrong, `the Required column of ${docsPath} is wrong for: ${wrong.join(', ')}`).toEqual(
      [],
    );
  });

  it('lists every permission of the schema in the permissions table, and no other', () => {
    const allowed = root.$defs.permission!.enum!;
    const listed = (tables().get('Permission') ?? []).map((row) => code(row[0]));
    const missing = allowed.filter((permission) => !listed.includes(permission));
    const unknown = listed.filter((permission) => !allowed.includes(permission));
    expect(missing, `permissions missing from ${docsPath}: ${missing.join(', ')}`).toEqual([]);
    expect(
      unknown,
      `permissions documented but not in skill.schema.json: ${unknown.join(', ')}`,
    ).toEqual([]);
  });

  it('lists the manifest and skill problem codes, and only codes of the catalog', () => {
    const listed = (tables().get('Code') ?? []).map((row) => code(row[0]));
    const expected = Object.keys(problemCatalog).filter((name) =>
      /^BOTWIRE_(MANIFEST|SKILL)_/.test(name),
    );
    const missing = expected.filter((name) => !listed.includes(name));
    const unknown = listed.filter((name) => !(name in problemCatalog));
    expect(missing, `problem codes missing from ${docsPath}: ${missing.join(', ')}`).toEqual([]);
    expect(
      unknown,
      `codes in ${docsPath} that are not in problemCatalog: ${unknown.join(', ')}`,
    ).toEqual([]);
  });
});
