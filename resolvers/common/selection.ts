import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

/**
 * Whether the selection under the current field names any of `names`, at any
 * depth, through fragments too. Conservative by design: a name anywhere below
 * counts, so the answer can cost a little more, never be wrong.
 */
export function selectsAny(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean => {
    if (!set) return false;
    for (const sel of set.selections) {
      switch (sel.kind) {
        case Kind.FIELD:
          if (names.has(sel.name.value) || walk(sel.selectionSet)) return true;
          break;
        case Kind.INLINE_FRAGMENT:
          if (walk(sel.selectionSet)) return true;
          break;
        case Kind.FRAGMENT_SPREAD: {
          const name = sel.name.value;
          if (seen.has(name)) break;
          seen.add(name);
          if (walk(info.fragments[name]?.selectionSet)) return true;
          break;
        }
      }
    }
    return false;
  };
  return info.fieldNodes.some((node) => walk(node.selectionSet));
}
