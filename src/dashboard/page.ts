/** The dashboard's HTML: the panels are drawn by dashboard.js from the API's answers. */
export function dashboardPage(opts: { assets: string; config: string }): string {
  const a = (name: string) => `${opts.assets}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>trailgraph dashboard</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${a('dashboard.css')}">
</head>
<body>
  <header class="tg-bar">
    <div class="tg-brand">trailgraph <span>dashboard</span></div>
    <form id="controls" class="tg-controls" autocomplete="off">
      <label>Window <select id="span">
        <option value="1">last 24 hours</option><option value="7" selected>last 7 days</option><option value="30">last 30 days</option><option value="90">last 90 days</option>
      </select></label>
      <label>ending <input id="end" type="datetime-local" step="60"></label>
      <label>Account <select id="account"><option value="">all accounts</option></select></label>
      <label>API key or token <input id="credential" type="password" placeholder="x-api-key, or Bearer token" size="22"></label>
      <button type="submit">Refresh</button>
    </form>
  </header>
  <main id="panels" class="tg-grid" data-config="${opts.config}"></main>
  <footer class="tg-foot">Every panel is a query of the public GraphQL API: open it in the explorer to change it. Third-party detection rules are shown with their authors.</footer>
  <script src="${a('chart.js')}"></script>
  <script src="${a('dashboard.js')}"></script>
</body>
</html>
`;
}
