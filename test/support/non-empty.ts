/**
 * The paths of the empty outermost lists of a GraphQL answer (each root
 * connection's nodes or edges, each list field outside any list): a test
 * comparing two answers asserts this is [] first, so two empty answers cannot
 * agree vacuously. Lists inside list items (an event's resources) may be
 * empty and are not reported.
 */
export function emptyListPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [path || '(root)'] : [];
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => emptyListPaths(v, path ? `${path}.${k}` : k));
  return [];
}
