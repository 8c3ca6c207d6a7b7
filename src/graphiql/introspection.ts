import { GraphQLSchema, GraphQLType, getIntrospectionQuery, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType } from 'graphql';

function wrappers(t: GraphQLType): number {
  return isListType(t) || isNonNullType(t) ? 1 + wrappers(t.ofType) : 0;
}

/** The most List/NonNull wrappers around any field, argument or input field type of the schema. */
export function deepestTypeRef(schema: GraphQLSchema): number {
  let deepest = 0;
  const see = (t: GraphQLType) => void (deepest = Math.max(deepest, wrappers(t)));
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const f of Object.values(type.getFields())) {
        see(f.type);
        f.args.forEach((a) => see(a.type));
      }
    } else if (isInputObjectType(type)) {
      Object.values(type.getFields()).forEach((f) => see(f.type));
    }
  }
  for (const d of schema.getDirectives()) d.args.forEach((a) => see(a.type));
  return deepest;
}

/**
 * The standard introspection query, with type references only as deep as
 * this schema's types go: GraphiQL's own asks nine levels, deeper than the
 * API's query depth limit, and would be refused.
 */
export function introspectionQueryFor(schema: GraphQLSchema): string {
  return getIntrospectionQuery({ descriptions: true, typeDepth: Math.max(1, deepestTypeRef(schema)) });
}
