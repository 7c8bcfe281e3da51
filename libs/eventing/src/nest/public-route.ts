/**
 * Route metadata meaning "no access token needed". Health probes and scrapes set it here;
 * @tradecore/auth's @Public() sets the same key, so eventing never depends on auth.
 */
export const PUBLIC_ROUTE = 'tradecore:public-route';
