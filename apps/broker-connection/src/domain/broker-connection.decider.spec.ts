import {
  at,
  connected,
  disconnectRequested,
  failed,
  given,
  markConnected,
  markFailed,
  ref,
  request,
  requested,
  verified,
  verify,
} from './test/broker-connection.fixtures';

describe('broker connection decider: connecting', () => {
  describe('RequestConnection', () => {
    it('opens a PENDING connection', () => given().when(request).then([requested]));
    it('refuses a taken id', () => given(requested).when(request).thenRefused('CONNECTION_ALREADY_EXISTS'));
    it('refuses a live virtual connection', () =>
      given()
        .when({ ...request, broker: 'virtual', mode: 'live' })
        .thenRefused('VIRTUAL_BROKER_PAPER_ONLY'));
  });

  describe('RecordCredentialsVerified', () => {
    it('moves PENDING to CONNECTING', () => {
      given(requested).when(verify).then([verified]);
      expect(given(requested, verified).thenState().status).toBe('CONNECTING');
    });
    it('is a no-op when verified again', () => given(requested, verified).when(verify).then([]));
    it('refuses an unknown connection', () => given().when(verify).thenRefused('CONNECTION_NOT_FOUND'));
    it('refuses a connected connection', () =>
      given(requested, verified, connected).when(verify).thenRefused('CONNECTION_NOT_PENDING'));
  });

  describe('MarkConnected', () => {
    it('connects with the ids a disconnection will need', () =>
      given(requested, verified).when(markConnected).then([connected]));
    it('is a no-op when already connected', () =>
      given(requested, verified, connected).when(markConnected).then([]));
    it('refuses a failed connection', () =>
      given(requested, failed).when(markConnected).thenRefused('CONNECTION_NOT_PENDING'));
  });

  describe('MarkFailed', () => {
    it('fails a connection being connected', () =>
      given(requested, verified).when(markFailed).then([failed]));
    it('is a no-op when already failed', () => given(requested, failed).when(markFailed).then([]));
    it('refuses a connected connection', () =>
      given(requested, verified, connected).when(markFailed).thenRefused('CONNECTION_NOT_PENDING'));
    it('is a no-op once a user deletion failed it and moved it on to its purge', () =>
      given(requested, failed, { ...disconnectRequested, linkedAccountIds: [] })
        .when(markFailed)
        .then([]));
  });

  describe('ReportBalances', () => {
    const balances = [
      { externalAccountId: 'PA-1', currency: 'USD', cash: '1', buyingPower: '2', equity: '3', asOf: at },
    ];
    it('reports the balances of a connected connection', () =>
      given(requested, verified, connected)
        .when({ type: 'ReportBalances', balances, at })
        .then([{ type: 'BrokerAccountBalancesReported', ...ref, balances, reportedAt: at }]));
    it('refuses an empty report', () =>
      given(requested, verified, connected)
        .when({ type: 'ReportBalances', balances: [], at })
        .thenRefused('NO_BALANCES_REPORTED'));
    it('refuses a connection that is not connected', () =>
      given(requested)
        .when({ type: 'ReportBalances', balances, at })
        .thenRefused('CONNECTION_NOT_CONNECTED'));
  });
});
