import type { JsonSchema } from '@botwire/core';

/** The widest line a printed type may take before it is broken, as the project's formatter does. */
const lineWidth = 100;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON value as a TypeScript literal type: `'A4'`, `3`, `true`, `null`. */
function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return String(value);
  return 'unknown';
}

/** A property name as TypeScript writes it: bare when it is an identifier, quoted otherwise. */
function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name);
}

/** A description as a doc comment at `indent`, or nothing. */
function docComment(schema: unknown, indent: string): string[] {
  if (!isRecord(schema) || typeof schema.description !== 'string') return [];
  const text = schema.description.replace(/\*\//g, '*\\/').trim();
  if (!text) return [];
  const lines = text.split(/\r?\n/);
  if (lines.length === 1 && indent.length + text.length + 7 <= lineWidth)
    return [`${indent}/** ${text} */`];
  return [`${indent}/**`, ...lines.map((line) => `${indent} * ${line}`.trimEnd()), `${indent} */`];
}

const unique = (types: string[]) => [...new Set(types)];

/**
 * Writes a JSON Schema as a TypeScript type, for the subset tool input schemas use: `type`
 * (one or several), `enum`, `const`, `properties` with `required`, `additionalProperties`,
 * `items` and `prefixItems`, `anyOf`/`oneOf` (a union), `allOf` (an intersection) and local
 * `$ref`s (`#/$defs/...`, `#/definitions/...`). A property with a `default` is not optional:
 * the runtime fills defaults in before the handler runs. Anything else is `unknown`.
 */
export class SchemaPrinter {
  private readonly seen: object[] = [];

  constructor(private readonly root: JsonSchema) {}

  /** The type of `schema`, laid out for a line that starts at `indent` after `prefix.length` characters. */
  print(schema: unknown, indent = '', prefix = 0): string {
    if (schema === true || schema === undefined) return 'unknown';
    if (schema === false) return 'never';
    if (!isRecord(schema)) return 'unknown';
    if (this.seen.includes(schema)) return 'unknown';
    this.seen.push(schema);
    try {
      return this.printRecord(schema, indent, prefix);
    } finally {
      this.seen.pop();
    }
  }

  private resolve(reference: string): unknown {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(reference);
    if (!match) return undefined;
    const group = this.root[match[1]!];
    return isRecord(group)
      ? group[decodeURIComponent(match[2]!).replace(/~1/g, '/').replace(/~0/g, '~')]
      : undefined;
  }

  private printRecord(schema: Record<string, unknown>, indent: string, prefix: number): string {
    if (typeof schema.$ref === 'string')
      return this.print(this.resolve(schema.$ref), indent, prefix);
    if ('const' in schema) return literal(schema.const);
    if (Array.isArray(schema.enum))
      return this.union(unique(schema.enum.map(literal)), indent, prefix);
    const variants = Array.isArray(schema.anyOf)
      ? schema.anyOf
      : Array.isArray(schema.oneOf)
        ? schema.oneOf
        : undefined;
    if (variants) {
      const { anyOf: _anyOf, oneOf: _oneOf, ...base } = schema;
      const shared = Object.keys(base).some((key) => ['type', 'properties', 'items'].includes(key));
      const members = variants.map((variant) =>
        this.print(shared && isRecord(variant) ? { ...base, ...variant } : variant, indent),
      );
      return this.union(unique(members), indent, prefix);
    }
    if (Array.isArray(schema.allOf)) {
      const members = schema.allOf.map((member) => this.print(member, indent));
      return members.length === 1
        ? members[0]!
        : members.map((member) => `(${member})`).join(' & ');
    }
    const types = Array.isArray(schema.type)
      ? schema.type.filter((type): type is string => typeof type === 'string')
      : typeof schema.type === 'string'
        ? [schema.type]
        : this.impliedTypes(schema);
    if (types.length === 0) return 'unknown';
    return this.union(
      unique(types.map((type) => this.printOfType(type, schema, indent))),
      indent,
      prefix,
    );
  }

  private impliedTypes(schema: Record<string, unknown>): string[] {
    if (isRecord(schema.properties) || 'additionalProperties' in schema) return ['object'];
    if ('items' in schema || 'prefixItems' in schema) return ['array'];
    return [];
  }

  private printOfType(type: string, schema: Record<string, unknown>, indent: string): string {
    switch (type) {
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return this.printArray(schema, indent);
      case 'object':
        return this.printObject(schema, indent);
      default:
        return 'unknown';
    }
  }

  private printArray(schema: Record<string, unknown>, indent: string): string {
    if (Array.isArray(schema.prefixItems)) {
      const members = schema.prefixItems.map((item) => this.print(item, indent));
      const rest =
        schema.items === false ? '' : `, ...${this.wrap(this.print(schema.items, indent))}[]`;
      return `[${members.join(', ')}${rest}]`;
    }
    return `${this.wrap(this.print(schema.items, indent))}[]`;
  }

  /** Parenthesizes a union or intersection before `[]`. */
  private wrap(type: string): string {
    return /^[\w$.'"]+(\[\])*$/.test(type) || /^\{[\s\S]*\}$/.test(type) ? type : `(${type})`;
  }

  private printObject(schema: Record<string, unknown>, indent: string): string {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const required = new Set(
      Array.isArray(schema.required)
        ? schema.required.filter((name) => typeof name === 'string')
        : [],
    );
    const inner = `${indent}  `;
    const lines: string[] = [];
    for (const [name, property] of Object.entries(properties)) {
      const optional = !required.has(name) && !(isRecord(property) && 'default' in property);
      const head = `${inner}${propertyKey(name)}${optional ? '?' : ''}: `;
      const type = this.print(property, inner, head.length);
      lines.push(
        ...docComment(property, inner),
        `${type.startsWith('\n') ? head.trimEnd() : head}${type};`,
      );
    }
    const extra = schema.additionalProperties;
    if (extra !== undefined && extra !== false && Object.keys(properties).length === 0) {
      const head = `${inner}[key: string]: `;
      lines.push(`${head}${this.print(extra === true ? {} : extra, inner, head.length)};`);
    }
    if (lines.length === 0)
      return extra === false ? 'Record<string, never>' : 'Record<string, unknown>';
    return `{\n${lines.join('\n')}\n${indent}}`;
  }

  /** `a | b` on one line when it fits, else one member per line as the formatter lays it out. */
  private union(members: string[], indent: string, prefix: number): string {
    if (members.length === 1) return members[0]!;
    const flat = members.join(' | ');
    if (!flat.includes('\n') && prefix + flat.length + 1 <= lineWidth) return flat;
    return members.map((member) => `\n${indent}  | ${member}`).join('');
  }
}

/** The TypeScript type of a JSON Schema (see {@link SchemaPrinter}). */
export function schemaToType(schema: JsonSchema, indent = ''): string {
  return new SchemaPrinter(schema).print(schema, indent);
}
