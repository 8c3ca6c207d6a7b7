/** The explorer's HTML: GraphiQL mounts into #graphiql; every file comes from this server. */
export function explorerPage(opts: { assets: string; config: string }): string {
  const a = (name: string) => `${opts.assets}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>trailgraph explorer</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${a('graphiql.css')}">
  <link rel="stylesheet" href="${a('explorer.css')}">
</head>
<body>
  <div id="graphiql" data-config="${opts.config}">Loading the explorer...</div>
  <script src="${a('react.js')}"></script>
  <script src="${a('react-dom.js')}"></script>
  <script src="${a('graphiql.js')}"></script>
  <script src="${a('graphql-ws.js')}"></script>
  <script src="${a('fill.js')}"></script>
  <script src="${a('explorer.js')}"></script>
</body>
</html>
`;
}
