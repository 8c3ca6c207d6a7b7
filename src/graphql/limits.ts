import {
  ASTVisitor,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  SchemaMetaFieldDef,
  SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  ValidationContext,
  ValueNode,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  typeFromAST,
} from 'graphql';
import { ErrorCode } from '../errors';
import { literalSizeProblem, tooLarge } from './input-limits';

/** What one document may ask (src/config.ts has them as settings; README "Query limits"). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxFields: number;
  /** Estimated nodes (GitHub's node limit: every connection's page size multiplies the ones above it). */
  maxNodes: number;
  /** Values in one list argument or list variable. */
  maxListValues: number;
  /** Characters of one string argument or string variable. */
  maxStringLength: number;
  /** Page size assumed where it comes from a variable without a default (the largest a request may send). */
  maxPageSize: number;
  /** Page size of a connection whose first/last is omitted. */
  defaultPageSize: number;
  /** Tokens of one document, checked while it is parsed (before any validation rule walks it). */
  maxTokens: number;
}

/**
 * graphql-js's parse options for these limits: a document of more tokens
 * stops parsing there (GraphiQL's introspection is 163 tokens, the largest
 * saved investigation 118), before the validation rules walk it; 1,000
 * aliases of __schema are 27,000 tokens. Its error is reported as
 * QUERY_TOO_COMPLEX (isTokenLimitError, format-error.ts).
 */
export function parseOptionsOf(limits: QueryLimits): { maxTokens: number } {
  return { maxTokens: limits.maxTokens };
}

/** graphql-js's error for a document past maxTokens (its only signal is the message; graphql 16 spells it "more that"). */
export function isTokenLimitError(message: string): boolean {
  return /^Syntax Error: Document contains more th(?:an|at) \d+ tokens/.test(message);
}

/** The counts of a document, as the limits see them. */
export interface DocumentCost {
  depth: number;
  aliases: number;
  /** Fields with every fragment spread expanded, introspection included. */
  fields: number;
  /** Estimated nodes: the sum over connections (and lists with a page size) of the product of the page sizes down to it. */
  nodes: number;
  /** Pages asked: each connection once per parent node it is under (GitHub's "requests"). */
  pages: number;
  /** Some page size is a variable without a default: the nodes depend on the request's variables (checked per request). */
  variablePages: boolean;
}

/** The first limit a document passed. */
export class LimitPassed extends Error {
  constructor(readonly limit: keyof QueryLimits, readonly value: number, readonly max: number) {
    super(`${limit}: ${value} exceeds ${max}`);
  }
}

const PAGE_ARGS = ['first', 'last', 'limit'];

interface Unit {
  depth: number;
  aliases: number;
  fields: number;
  nodes: number;
  pages: number;
}

const ZERO: Unit = { depth: 0, aliases: 0, fields: 0, nodes: 0, pages: 0 };

/**
 * The counts of one operation, in time linear in the document: each
 * fragment's counts are computed once (per unit of multiplier: a selection's
 * nodes under a page of p are p times its nodes under one) and reused at
 * every spread. It throws LimitPassed at the first limit passed: every
 * count only grows on the way up, so a part over a limit is enough.
 */
export function documentCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  limits: QueryLimits,
  /** The request's variables; null when validating the document alone (a page size from a variable then counts 1, its least). */
  variables: Readonly<Record<string, unknown>> | null = null,
): DocumentCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const variableDefaults = new Map<string, ValueNode | undefined>((operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, v.defaultValue]));
  const memo = new Map<string, Unit>();
  let variablePages = false;
  const inProgress = new Set<string>();

  const check = (u: Unit): Unit => {
    if (u.depth > limits.maxDepth) throw new LimitPassed('maxDepth', u.depth, limits.maxDepth);
    if (u.aliases > limits.maxAliases) throw new LimitPassed('maxAliases', u.aliases, limits.maxAliases);
    if (u.fields > limits.maxFields) throw new LimitPassed('maxFields', u.fields, limits.maxFields);
    if (u.nodes > limits.maxNodes) throw new LimitPassed('maxNodes', u.nodes, limits.maxNodes);
    return u;
  };

  const intValue = (v: ValueNode | undefined): number | undefined => {
    if (!v) return undefined;
    if (v.kind === Kind.INT) return Number(v.value);
    if (v.kind === Kind.VARIABLE) {
      const given = variables?.[v.name.value];
      if (typeof given === 'number') return given;
      const dflt = intValue(variableDefaults.get(v.name.value));
      if (dflt !== undefined) return dflt;
      variablePages = true;
      // Without a value the resolver uses the server's default page; the document alone is bounded below by 1.
      return variables ? limits.defaultPageSize : 1;
    }
    return undefined;
  };

  /** The page size of a field that returns many: its first/last/limit, else its default, else the server's. */
  const pageSize = (node: FieldNode, def: GraphQLField<unknown, unknown> | undefined): number | null => {
    if (!def) return null;
    const nullable = getNullableType(def.type);
    const many = isListType(nullable) || getNamedType(def.type).name.endsWith('Connection');
    const paged = def.args.filter((a) => PAGE_ARGS.includes(a.name));
    if (!many || paged.length === 0) return null;
    const asked = (node.arguments ?? []).filter((a) => PAGE_ARGS.includes(a.name.value)).map((a) => intValue(a.value) ?? 0);
    if (asked.length) return Math.max(0, ...asked);
    const defaults = paged.map((a) => a.defaultValue).filter((v): v is number => typeof v === 'number');
    return defaults.length ? Math.max(...defaults) : limits.defaultPageSize;
  };

  const fieldDef = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined => {
    // Introspection is counted like any other field: its answer is as large as the schema, per alias.
    if (name === '__typename') return TypeNameMetaFieldDef;
    if (name === '__schema' && parent === schema.getQueryType()) return SchemaMetaFieldDef;
    if (name === '__type' && parent === schema.getQueryType()) return TypeMetaFieldDef;
    return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
  };

  const selectionUnit = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): Unit => {
    const u: Unit = { ...ZERO };
    const add = (c: Unit, depthOffset: number) => {
      u.aliases += c.aliases;
      u.fields += c.fields;
      u.nodes += c.nodes;
      u.pages += c.pages;
      u.depth = Math.max(u.depth, c.depth + depthOffset);
      check(u);
    };
    for (const sel of set.selections) {
      switch (sel.kind) {
        case Kind.FIELD: {
          const def = fieldDef(parent, sel.name.value);
          const child = sel.selectionSet ? selectionUnit(sel.selectionSet, def ? getNamedType(def.type) : undefined) : ZERO;
          const p = pageSize(sel, def);
          const own: Unit = {
            depth: child.depth,
            aliases: child.aliases + (sel.alias ? 1 : 0),
            fields: child.fields + 1,
            nodes: p === null ? child.nodes : p + p * child.nodes,
            pages: p === null ? child.pages : 1 + p * child.pages,
          };
          add(own, 1);
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const type = sel.typeCondition ? typeFromAST(schema, sel.typeCondition) : parent;
          add(selectionUnit(sel.selectionSet, type && isCompositeType(type) ? type : parent), 0);
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          add(fragmentUnit(sel.name.value), 0);
          break;
      }
    }
    return u;
  };

  const fragmentUnit = (name: string): Unit => {
    const known = memo.get(name);
    if (known) return known;
    const frag = fragments.get(name);
    // Unknown fragments and cycles are other rules' errors (KnownFragmentNames, NoFragmentCycles).
    if (!frag || inProgress.has(name)) return ZERO;
    inProgress.add(name);
    const type = typeFromAST(schema, frag.typeCondition);
    const u = selectionUnit(frag.selectionSet, type && isCompositeType(type) ? type : undefined);
    inProgress.delete(name);
    memo.set(name, u);
    return u;
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const u = selectionUnit(operation.selectionSet, root ?? undefined);
  return { depth: u.depth, aliases: u.aliases, fields: u.fields, nodes: u.nodes, pages: u.pages, variablePages };
}

/** The estimates of the documents validated, per operation (Apollo keeps one parsed document per distinct query). */
const estimates = new WeakMap<DocumentNode, Map<string, DocumentCost>>();

/** The estimate the rule computed for this document's operation (undefined: not validated by limitsRule). */
export function estimateOf(document: DocumentNode, operationName: string | null | undefined): DocumentCost | undefined {
  const byOperation = estimates.get(document);
  if (!byOperation) return undefined;
  return byOperation.get(operationName ?? '') ?? (byOperation.size === 1 ? [...byOperation.values()][0] : undefined);
}

export function tooComplex(node: OperationDefinitionNode, passed: LimitPassed, http = false): GraphQLError {
  return new GraphQLError(`query too complex: ${passed.message}`, {
    nodes: [node],
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: passed.limit, estimate: passed.value, max: passed.max, ...(http ? { http: { status: 400 } } : {}) },
  });
}

/**
 * The limits, checked before anything runs, as a validation rule (Apollo
 * validates each distinct document once and caches it; graphql-ws documents
 * go through the same rule): depth, aliases, fields and estimated nodes of
 * every operation, introspection included, QUERY_TOO_COMPLEX with the
 * estimate and the limit; literal lists and strings over their size,
 * BAD_USER_INPUT. A query that could fan out into millions of nodes is
 * refused up front rather than run out of memory half-way.
 */
export function limitsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const document = context.getDocument();
    return {
      OperationDefinition(node) {
        try {
          const cost = documentCost(context.getSchema(), document, node, limits);
          const byOperation = estimates.get(document) ?? new Map<string, DocumentCost>();
          byOperation.set(node.name?.value ?? '', cost);
          estimates.set(document, byOperation);
        } catch (err) {
          if (!(err instanceof LimitPassed)) throw err;
          context.reportError(tooComplex(node, err));
        }
      },
      Argument(node) {
        const problem = literalSizeProblem(node.value, limits);
        if (problem) context.reportError(tooLarge(node.value, problem));
        return false;
      },
    };
  };
}
