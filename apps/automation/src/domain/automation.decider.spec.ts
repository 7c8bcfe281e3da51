import {
  accepted,
  acceptedWith,
  at,
  created,
  createdOnAlpaca,
  given,
  ref,
  rejectedWith,
  signal,
} from './test/automation.fixtures';

const paused = { type: 'AutomationPaused', ...ref, pausedAt: at } as const;
const deleted = { type: 'AutomationDeleted', ...ref, cause: 'broker-disconnection', deletedAt: at } as const;

describe('automation decider: managing an automation', () => {
  it('answers another user exactly like a missing automation', () => {
    given(created())
      .when({ type: 'PauseAutomation', requestedBy: 'someone-else', at })
      .thenThrows('AUTOMATION_NOT_FOUND');
  });

  it('pauses and resumes for its owner, and a second pause changes nothing', () => {
    given(created()).when({ type: 'PauseAutomation', requestedBy: 'u-1', at }).then(paused);
    given(created(), paused).when({ type: 'PauseAutomation', requestedBy: 'u-1', at }).then();
    given(created(), paused)
      .when({ type: 'ResumeAutomation', requestedBy: 'u-1', at })
      .then({ type: 'AutomationResumed', ...ref, resumedAt: at });
  });

  it('records which saga deletion deleted it, and comes back in the status it had', () => {
    given(created())
      .when({ type: 'DeleteAutomation', cause: 'broker-disconnection', deletionId: 'disc-1', at })
      .then({ ...deleted, deletionId: 'disc-1' });
    const restored = given(created({}, false), deleted)
      .when({ type: 'RestoreAutomation', at })
      .then({ type: 'AutomationRestored', ...ref, active: false, restoredAt: at });
    expect(restored).toMatchObject({ status: 'PAUSED' });
  });

  it('issues a signing secret by id only, and revoking twice changes nothing', () => {
    const issued = {
      type: 'WebhookSigningSecretIssued',
      automationId: 'auto-1',
      secretId: 's-1',
      issuedAt: at,
    } as const;
    const revoked = { type: 'WebhookSigningSecretRevoked', automationId: 'auto-1', revokedAt: at } as const;
    given(created())
      .when({ type: 'IssueSigningSecret', requestedBy: 'u-1', secretId: 's-1', at })
      .then(issued);
    given(created(), issued).when({ type: 'RevokeSigningSecret', requestedBy: 'u-1', at }).then(revoked);
    given(created(), issued, revoked).when({ type: 'RevokeSigningSecret', requestedBy: 'u-1', at }).then();
  });

  it('refuses edits to a deleted automation as if it never existed', () => {
    given(created(), { ...deleted, cause: 'user' })
      .when({ type: 'UpdateAutomation', requestedBy: 'u-1', changes: { name: 'x' }, at })
      .thenThrows('AUTOMATION_NOT_FOUND');
  });
});

describe('automation decider: signals', () => {
  it('turns a buy into a market order of the fixed quantity, for the paper broker', () => {
    given(created()).when(signal()).then(accepted(1));
  });

  it('addresses the order on a real account to the account itself, for broker-connection', () => {
    given(createdOnAlpaca())
      .when(signal())
      .then(accepted(1, { broker: 'alpaca', virtualAccountId: null }));
  });

  it('takes a take-profit and stop-loss on a real account too, to place once the entry fills', () => {
    given(createdOnAlpaca())
      .when(signal({ takeProfit: { percent: '5' }, stopLoss: { amount: '2.00' } }))
      .then(
        accepted(1, {
          broker: 'alpaca',
          virtualAccountId: null,
          exits: { quantity: 10, takeProfit: { percent: '5' }, stopLoss: { amount: '2.00' } },
        }),
      );
  });

  it('rejects a signal while paused, naming how to resume', () => {
    given(created({}, false))
      .when(signal())
      .then(rejectedWith('AUTOMATION_PAUSED', /resume it/));
  });

  it('says why when the platform paused it', () => {
    const reason = { code: 'ACCOUNT_GONE', message: 'its broker account was deleted' };
    given(created(), { ...paused, reason })
      .when(signal())
      .then(rejectedWith('AUTOMATION_PAUSED', /broker account was deleted/));
  });

  it('rejects a signal for another symbol', () => {
    given(created())
      .when(signal({ ticker: 'MSFT' }))
      .then(rejectedWith('SYMBOL_MISMATCH', /trades AAPL, the signal names MSFT/));
  });

  it('trades whatever symbol the signal names when the automation has none', () => {
    given(created({ symbol: null }))
      .when(signal({ ticker: 'MSFT' }))
      .then(acceptedWith({ symbol: 'MSFT' }));
  });

  it('rejects a signal when its account is gone', () => {
    given(created())
      .when(signal({}, { account: { status: 'gone' } }))
      .then(rejectedWith('ACCOUNT_GONE'));
  });

  it('stops at the pyramiding limit, counting entries still on their way', () => {
    const twice = created({ maxEntriesPerDirection: 2 });
    given(twice, accepted(1))
      .when(signal({ action: 'add' }, { n: 2 }))
      .then(acceptedWith({ quantity: '10', entriesAfter: 2 }, 2));
    given(twice, accepted(1), accepted(2, { positionAfter: 20, entriesAfter: 2 }))
      .when(signal({}, { n: 3 }))
      .then(rejectedWith('PYRAMIDING_LIMIT', /already has 2 long AAPL entries/, 3));
  });

  it('counts an entry the broker refused as never made', () => {
    const refused = {
      type: 'SignalRejected',
      signalId: 'sig-1',
      automationId: 'auto-1',
      orderId: 'ord-1',
      reason: { code: 'INSUFFICIENT_BUYING_POWER', message: 'the broker refused the order' },
      rejectedAt: at,
    } as const;
    given(created(), accepted(1), refused)
      .when(signal({}, { n: 2 }))
      .then(acceptedWith({ entriesAfter: 1, positionAfter: 10 }, 2));
  });

  it('rejects an exit with nothing to exit', () => {
    given(created())
      .when(signal({ action: 'exit' }))
      .then(rejectedWith('NOTHING_TO_EXIT', /holds no AAPL position/));
  });

  it('exits the whole position and starts counting entries afresh', () => {
    given(created(), accepted(1))
      .when(signal({ action: 'exit' }, { n: 2 }))
      .then(acceptedWith({ side: 'sell', quantity: '10', positionAfter: 0, entriesAfter: 0 }, 2));
    const exited = accepted(2, { side: 'sell', positionAfter: 0, entriesAfter: 0, entry: false });
    given(created(), accepted(1), exited)
      .when(signal({}, { n: 3 }))
      .then(acceptedWith({ side: 'buy', entriesAfter: 1 }, 3));
  });

  it('closes a long position on an opposite signal when set to close', () => {
    given(
      created({ sizing: { kind: 'fixed-quantity', quantity: 3 } }),
      accepted(1, { quantity: '3', positionAfter: 3 }),
    )
      .when(signal({ action: 'sell' }, { n: 2 }))
      .then(acceptedWith({ side: 'sell', quantity: '3', positionAfter: 0 }, 2));
  });

  it('reverses on an opposite signal when set to reverse', () => {
    given(created({ onOppositeSignal: 'reverse' }), accepted(1))
      .when(signal({ action: 'sell' }, { n: 2 }))
      .then(acceptedWith({ side: 'sell', quantity: '20', positionAfter: -10, entriesAfter: 1 }, 2));
  });

  it('follows the sentiment: sell with long only trims, sell with flat only exits', () => {
    const reversing = created({
      onOppositeSignal: 'reverse',
      sizing: { kind: 'fixed-quantity', quantity: 4 },
    });
    given(reversing, accepted(1))
      .when(signal({ action: 'sell', sentiment: 'long' }, { n: 2 }))
      .then(acceptedWith({ side: 'sell', quantity: '4', positionAfter: 6 }, 2));
    const trimmed = accepted(2, { side: 'sell', quantity: '4', positionAfter: 6, entry: false });
    given(reversing, accepted(1), trimmed)
      .when(signal({ action: 'sell', sentiment: 'flat' }, { n: 3 }))
      .then(acceptedWith({ side: 'sell', quantity: '6', positionAfter: 0 }, 3));
  });

  it('sizes by a cash amount at the signal price, in whole shares', () => {
    given(created({ sizing: { kind: 'cash', amount: '1000.00' } }))
      .when(signal({ price: '190.00' }))
      .then(acceptedWith({ quantity: '5' }));
  });

  it('sizes by a percent of the account equity', () => {
    given(created({ sizing: { kind: 'percent-of-equity', percent: '2' } }))
      .when(signal({ price: '190.00' }))
      .then(acceptedWith({ quantity: '10' }));
  });

  it('asks for a price when sizing needs one, and for more money when not a share fits', () => {
    const small = created({ sizing: { kind: 'cash', amount: '100.00' } });
    given(small)
      .when(signal())
      .then(rejectedWith('PRICE_REQUIRED', /add "price"/));
    given(small)
      .when(signal({ price: '190.00' }))
      .then(rejectedWith('SIZE_TOO_SMALL', /100.00 buys less than one share of AAPL at 190.00/));
  });

  it("lets the signal's own quantity win over the sizing", () => {
    given(created())
      .when(signal({ quantity: 3 }))
      .then(acceptedWith({ quantity: '3' }));
  });

  it('places a limit at the signal price moved by the offset against the trade', () => {
    const limit = created({ orderType: 'limit', limitOffsetPercent: '0.5', onOppositeSignal: 'close' });
    given(limit)
      .when(signal({ price: '200.00' }))
      .then(acceptedWith({ kind: 'limit', limitPrice: '201.00' }));
    given(limit, accepted(1, { kind: 'limit', limitPrice: '201.00' }))
      .when(signal({ action: 'exit', price: '200.00' }, { n: 2 }))
      .then(acceptedWith({ limitPrice: '199.00' }, 2));
  });
});
