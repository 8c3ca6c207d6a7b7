import { ASTVisitor, FieldNode, GraphQLError, Kind, SelectionSetNode, ValidationContext } from 'graphql';
import { ErrorCode } from '../errors';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxFields: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30, maxFields: 500 };

/**
 * Depth, alias and field-count limits, checked before anything runs: a
 * query that could fan out into thousands of history statements is refused
 * up front rather than throttled half-way.
 */
export function limitsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(context.getDocument().definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
    let aliases = 0;
    let fields = 0;
    const depthOf = (set: SelectionSetNode, seen: Set<string>): number => {
      let max = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          // Introspection is as deep as the schema, not as the data: it runs no history statement.
          if (sel.name.value === '__schema' || sel.name.value === '__type') continue;
          fields += 1;
          if (sel.alias) aliases += 1;
          max = Math.max(max, sel.selectionSet ? 1 + depthOf(sel.selectionSet, seen) : 1);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          max = Math.max(max, depthOf(sel.selectionSet, seen));
        } else {
          const name = sel.name.value;
          const frag = fragments.get(name);
          if (frag && !seen.has(name)) max = Math.max(max, depthOf(frag, new Set([...seen, name])));
        }
      }
      return max;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        const problems: string[] = [];
        if (depth > limits.maxDepth) problems.push(`depth ${depth} exceeds ${limits.maxDepth}`);
        if (aliases > limits.maxAliases) problems.push(`${aliases} aliases exceed ${limits.maxAliases}`);
        if (fields > limits.maxFields) problems.push(`${fields} fields exceed ${limits.maxFields}`);
        for (const p of problems) {
          context.reportError(new GraphQLError(`query too complex: ${p}`, { nodes: [node as unknown as FieldNode], extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } }));
        }
      },
    };
  };
}
