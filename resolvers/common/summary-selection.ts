import { FieldNode, FragmentDefinitionNode, GraphQLObjectType, GraphQLResolveInfo, Kind, NamedTypeNode, SelectionSetNode, getNamedType } from 'graphql';

/**
 * The summary parts (src/history/graph/summary-parts.ts) a selection needs:
 * each object type names, per field, the parts its resolver reads; a field
 * the table does not know (a new field, say) makes it "every part": the
 * answer may then cost more, never be wrong. Field names count, not
 * aliases; fragments and inline fragments are followed, except those on
 * another object type (`... on Session` under a Principal); directives are
 * ignored (a skipped field still counts).
 */
export type FieldParts<P extends string> = Readonly<Record<string, readonly P[]>>;

interface Walk {
  fragments: Record<string, FragmentDefinitionNode>;
  info: GraphQLResolveInfo;
  /** The object type whose fields are collected ('' for unknown: every fragment applies). */
  typeName: string;
}

/** Whether a fragment's type condition can apply to the object: none, the type itself, or an abstract type. */
function applies(condition: NamedTypeNode | undefined, w: Walk): boolean {
  if (!condition || w.typeName === '' || condition.name.value === w.typeName) return true;
  return !(w.info.schema.getType(condition.name.value) instanceof GraphQLObjectType);
}

/** The fields of selection sets on one object type, through fragments. */
function fieldsOf(sets: ReadonlyArray<SelectionSetNode | undefined>, w: Walk, seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const set of sets) {
    for (const sel of set?.selections ?? []) {
      switch (sel.kind) {
        case Kind.FIELD:
          out.push(sel);
          break;
        case Kind.INLINE_FRAGMENT:
          if (applies(sel.typeCondition, w)) out.push(...fieldsOf([sel.selectionSet], w, seen));
          break;
        case Kind.FRAGMENT_SPREAD: {
          const fragment = w.fragments[sel.name.value];
          if (seen.has(sel.name.value) || !fragment || !applies(fragment.typeCondition, w)) break;
          seen.add(sel.name.value);
          out.push(...fieldsOf([fragment.selectionSet], w, seen));
          break;
        }
      }
    }
  }
  return out;
}

/** The selection sets of the fields named `name` among `fields`. */
const below = (fields: readonly FieldNode[], name: string): Array<SelectionSetNode | undefined> =>
  fields.filter((f) => f.name.value === name).map((f) => f.selectionSet);

/** The parts of the fields; null when one is not in the table. */
function partsOfFields<P extends string>(fields: readonly FieldNode[], table: FieldParts<P>): P[] | null {
  const parts: P[] = [];
  for (const f of fields) {
    const needs = Object.prototype.hasOwnProperty.call(table, f.name.value) ? table[f.name.value] : undefined;
    if (!needs) return null;
    parts.push(...needs);
  }
  return parts;
}

/** The name of the object type a field of `typeName` returns ('' when not an object type: then no fragment is ruled out). */
function fieldTypeName(info: GraphQLResolveInfo, typeName: string, field: string): string {
  const type = info.schema.getType(typeName);
  const named = type instanceof GraphQLObjectType ? type.getFields()[field]?.type : undefined;
  const inner = named ? getNamedType(named) : undefined;
  return inner instanceof GraphQLObjectType ? inner.name : '';
}

/**
 * Parts by field node: they depend only on the node and the fragments of its
 * document (a node belongs to one immutable document, which Apollo reuses
 * across requests), so a list field resolved for each of 50 parents, or the
 * same query asked again, walks its selection once.
 */
const MADE = new WeakMap<FieldNode, Map<string, readonly string[]>>();

function once<P extends string>(info: GraphQLResolveInfo, key: string, make: () => readonly P[]): readonly P[] {
  if (info.fieldNodes.length !== 1) return make();
  const node = info.fieldNodes[0];
  const byKey = MADE.get(node) ?? new Map<string, readonly string[]>();
  MADE.set(node, byKey);
  const known = byKey.get(key) as readonly P[] | undefined;
  if (known) return known;
  const parts = make();
  byKey.set(key, parts);
  return parts;
}

/** The parts of the object the resolving field returns (`principal(arn:)`, `session(id:)`, a session's `principal`); `all` when unknown. */
export function objectParts<P extends string>(info: GraphQLResolveInfo, typeName: string, table: FieldParts<P>, all: readonly P[]): readonly P[] {
  return once(info, `object ${typeName}`, () => {
    const fields = fieldsOf(info.fieldNodes.map((n) => n.selectionSet), { fragments: info.fragments, info, typeName });
    return partsOfFields(fields, table) ?? all;
  });
}

/** The parts of the nodes of the connection the resolving field returns (under `nodes` and `edges { node }`); `all` when unknown. */
export function nodeParts<P extends string>(info: GraphQLResolveInfo, typeName: string, table: FieldParts<P>, all: readonly P[]): readonly P[] {
  return once(info, `nodes ${typeName}`, () => {
    const walk = (name: string): Walk => ({ fragments: info.fragments, info, typeName: name });
    const connectionType = getNamedType(info.returnType).name;
    const connection = fieldsOf(info.fieldNodes.map((n) => n.selectionSet), walk(connectionType));
    const edges = fieldsOf(below(connection, 'edges'), walk(fieldTypeName(info, connectionType, 'edges')));
    const nodes = fieldsOf([...below(connection, 'nodes'), ...below(edges, 'node')], walk(typeName));
    return partsOfFields(nodes, table) ?? all;
  });
}
