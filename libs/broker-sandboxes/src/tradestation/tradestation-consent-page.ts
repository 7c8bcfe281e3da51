const escape = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * The sign-in and consent step of `/authorize`: the user allows or denies, and the form posts
 * every authorization parameter back so the decision needs no server-side session.
 */
export function consentPage(params: URLSearchParams, clientId: string): string {
  const hidden = [...params]
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('\n      ');
  const scopes = (params.get('scope') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((scope) => `<li>${escape(scope)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>TradeStation sandbox — authorize ${escape(clientId)}</title></head>
  <body>
    <p role="status"><strong>SANDBOX</strong>: a local stand-in for signin.tradestation.com; no real account is involved.</p>
    <h1>Authorize ${escape(clientId)}</h1>
    <p>The application asks to access your TradeStation accounts with these scopes:</p>
    <ul>${scopes}</ul>
    <form method="post" action="/authorize/decision">
      ${hidden}
      <button type="submit" name="decision" value="allow">Allow</button>
      <button type="submit" name="decision" value="deny">Deny</button>
    </form>
  </body>
</html>`;
}
