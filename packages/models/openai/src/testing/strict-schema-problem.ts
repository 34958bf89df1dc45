/** Validates a JSON Schema against OpenAI's strict mode rules; the first problem, or undefined. */
export function strictSchemaProblem(schema: unknown, context = '()'): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const node = schema as Record<string, unknown>;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('object') || node.properties) {
    if (node.additionalProperties !== false) {
      return `In context=${context}, 'additionalProperties' is required to be supplied and to be false.`;
    }
    const properties = (node.properties ?? {}) as Record<string, unknown>;
    const required = Array.isArray(node.required) ? node.required : [];
    const missing = Object.keys(properties).filter((key) => !required.includes(key));
    if (missing.length > 0) {
      return `In context=${context}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    }
    for (const [key, value] of Object.entries(properties)) {
      const problem = strictSchemaProblem(value, `('properties', '${key}')`);
      if (problem) return problem;
    }
  }
  for (const key of ['items', 'anyOf', '$defs', 'definitions'] as const) {
    const child = node[key];
    const children = Array.isArray(child)
      ? child
      : key === 'items'
        ? [child]
        : Object.values(child ?? {});
    for (const value of children) {
      const problem = strictSchemaProblem(value, `('${key}')`);
      if (problem) return problem;
    }
  }
  return undefined;
}
