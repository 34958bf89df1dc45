/**
 * The TypeScript type of a JSON Schema written `as const` in code, for the subset request
 * bodies and tool inputs use: `type` (one or several), `enum`, `const`, `properties` with
 * `required`, `items`, and `anyOf`/`oneOf` (a union; ignored beside a `type`, where they only
 * add constraints). Anything else is `unknown`. Skills whose schemas live in `skill.json` get
 * their types from `botwire skills types` instead.
 *
 * @example
 * const body = {
 *   type: 'object',
 *   properties: { text: { type: 'string' }, format: { enum: ['plain', 'markdown'] } },
 *   required: ['text'],
 * } as const;
 * type Body = JsonSchemaType<typeof body>; // { text: string; format?: 'plain' | 'markdown' }
 */
export type JsonSchemaType<Schema> = Schema extends { const: infer Value }
  ? Value
  : Schema extends { enum: readonly (infer Member)[] }
    ? Member
    : Schema extends { type: readonly (infer Name)[] }
      ? TypeOfName<Name, Schema>
      : Schema extends { type: infer Name }
        ? TypeOfName<Name, Schema>
        : Schema extends { anyOf: readonly (infer Member)[] }
          ? JsonSchemaType<Member>
          : Schema extends { oneOf: readonly (infer Member)[] }
            ? JsonSchemaType<Member>
            : unknown;

type TypeOfName<Name, Schema> = Name extends 'string'
  ? string
  : Name extends 'number' | 'integer'
    ? number
    : Name extends 'boolean'
      ? boolean
      : Name extends 'null'
        ? null
        : Name extends 'array'
          ? Schema extends { items: infer Item }
            ? JsonSchemaType<Item>[]
            : unknown[]
          : Name extends 'object'
            ? ObjectType<Schema>
            : unknown;

type RequiredNames<Schema> = Schema extends { required: readonly (infer Name)[] } ? Name : never;

type ObjectType<Schema> = Schema extends { properties: infer Properties }
  ? Flatten<
      {
        -readonly [Key in keyof Properties as Key extends RequiredNames<Schema>
          ? Key
          : never]: JsonSchemaType<Properties[Key]>;
      } & {
        -readonly [Key in keyof Properties as Key extends RequiredNames<Schema>
          ? never
          : Key]?: JsonSchemaType<Properties[Key]>;
      }
    >
  : Record<string, unknown>;

type Flatten<Value> = { [Key in keyof Value]: Value[Key] } & {};
