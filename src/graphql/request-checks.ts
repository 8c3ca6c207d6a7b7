import { ApolloServerPlugin } from '@apollo/server';
import {
  ASTVisitor,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValueNode,
} from 'graphql';
import { ErrorCode } from '../errors';

/**
 * What graphql-js 16 validation lets through and graphql-jit would then run
 * or fail on: a request that cannot run is refused here with a request code
 * and HTTP 400, before any statement reaches the store.
 */

const BAD_REQUEST = { http: { status: 400 } };

/**
 * An operation type the schema does not have (`mutation { x }` on a read-only
 * API) is a validation error (graphql-js 17's KnownOperationTypesRule), not an
 * execution failure.
 */
export function knownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
      if (!root) context.reportError(new GraphQLError(`this API has no ${node.operation} operations`, { nodes: [node] }));
    },
  };
}

/** Page-size arguments: a negative one can only be a mistake. */
const NON_NEGATIVE = new Set(['first', 'last']);

function* argumentsIn(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): Generator<[string, ValueNode]> {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      for (const a of sel.arguments ?? []) yield [a.name.value, a.value];
      if (sel.selectionSet) yield* argumentsIn(sel.selectionSet, fragments, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      yield* argumentsIn(sel.selectionSet, fragments, seen);
    } else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const fragment = fragments.get(sel.name.value);
      if (fragment) yield* argumentsIn(fragment.selectionSet, fragments, seen);
    }
  }
}

/** The value an argument will have: a literal, or the variable's value (sent, else its default). */
function valueOf(node: ValueNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind !== Kind.VARIABLE) return undefined;
  const name = node.name.value;
  if (name in variables) return variables[name];
  const declared = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
  return declared?.kind === Kind.INT ? Number(declared.value) : undefined;
}

export function requestChecksPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          // No operation to run: an operationName the document lacks, or several operations and no name.
          if (!operation) {
            const message = request.operationName ? `the document has no operation named "${request.operationName}"` : 'the document has several operations: name one with operationName';
            throw new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...BAD_REQUEST } });
          }
          const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
          for (const [name, node] of argumentsIn(operation.selectionSet, fragments, new Set())) {
            if (!NON_NEGATIVE.has(name)) continue;
            const value = valueOf(node, operation, request.variables ?? {});
            if (typeof value === 'number' && value < 0) {
              throw new GraphQLError(`${name} must be a non-negative integer`, { nodes: [node], extensions: { code: ErrorCode.BAD_USER_INPUT, argument: name, ...BAD_REQUEST } });
            }
          }
        },
      };
    },
  };
}
