import { DomainError } from '@tradecore/eventing/domain';
import {
  accepted,
  at,
  created,
  given,
  latest,
  refusedForCash,
  ref,
  rejectedWith,
  signal,
} from './test/automation-given-when-then';

describe('automation decider: managing an automation', () => {
  it('answers another user exactly like a missing automation', () => {
    expect(() => given(created()).when({ type: 'PauseAutomation', requestedBy: 'someone-else', at })).toThrow(
      expect.objectContaining({ code: 'AUTOMATION_NOT_FOUND' }),
    );
  });

  it('pauses and resumes for its owner, and a second pause changes nothing', () => {
    const automation = given(created());
    expect(automation.when({ type: 'PauseAutomation', requestedBy: 'u-1', at })).toEqual([
      { type: 'AutomationPaused', ...ref, pausedAt: at },
    ]);
    expect(automation.when({ type: 'PauseAutomation', requestedBy: 'u-1', at })).toEqual([]);
    expect(automation.when({ type: 'ResumeAutomation', requestedBy: 'u-1', at })).toEqual([
      { type: 'AutomationResumed', ...ref, resumedAt: at },
    ]);
  });

  it('comes back from a saga deletion in the status it had', () => {
    const automation = given(created({}, false));
    automation.when({ type: 'DeleteAutomation', cause: 'broker-disconnection', at });
    expect(automation.when({ type: 'RestoreAutomation', at })).toEqual([
      { type: 'AutomationRestored', ...ref, active: false, restoredAt: at },
    ]);
    expect(automation.state()).toMatchObject({ status: 'PAUSED' });
  });

  it('issues a signing secret by id only, and revoking twice changes nothing', () => {
    const automation = given(created());
    expect(automation.when({ type: 'IssueSigningSecret', requestedBy: 'u-1', secretId: 's-1', at })).toEqual([
      { type: 'WebhookSigningSecretIssued', automationId: 'auto-1', secretId: 's-1', issuedAt: at },
    ]);
    expect(automation.when({ type: 'RevokeSigningSecret', requestedBy: 'u-1', at })).toHaveLength(1);
    expect(automation.when({ type: 'RevokeSigningSecret', requestedBy: 'u-1', at })).toEqual([]);
  });

  it('refuses edits to a deleted automation as if it never existed', () => {
    const automation = given(created());
    automation.when({ type: 'DeleteAutomation', requestedBy: 'u-1', cause: 'user', at });
    expect(() =>
      automation.when({ type: 'UpdateAutomation', requestedBy: 'u-1', changes: { name: 'x' }, at }),
    ).toThrow(DomainError);
  });
});

describe('automation decider: signals', () => {
  it('turns a buy into a market order of the fixed quantity', () => {
    expect(given(created()).when(signal())).toEqual([
      {
        type: 'SignalAccepted',
        signalId: latest().signalId,
        automationId: 'auto-1',
        orderId: latest().orderId,
        symbol: 'AAPL',
        side: 'buy',
        kind: 'market',
        quantity: '10',
        timeInForce: 'day',
        decidedAt: at,
        positionAfter: 10,
        entriesAfter: 1,
        entry: true,
        userId: 'u-1',
        virtualAccountId: 'va-1',
      },
    ]);
  });

  it('rejects a signal while paused, naming how to resume', () => {
    expect(given(created({}, false)).when(signal())).toEqual(rejectedWith('AUTOMATION_PAUSED', /resume it/));
  });

  it('says why when the platform paused it', () => {
    const automation = given(created());
    automation.when({
      type: 'PauseAutomation',
      reason: { code: 'ACCOUNT_GONE', message: 'its broker account was deleted' },
      at,
    });
    expect(automation.when(signal())).toEqual(
      rejectedWith('AUTOMATION_PAUSED', /broker account was deleted/),
    );
  });

  it('rejects a signal for another symbol', () => {
    expect(given(created()).when(signal({ ticker: 'MSFT' }))).toEqual(
      rejectedWith('SYMBOL_MISMATCH', /trades AAPL, the signal names MSFT/),
    );
  });

  it('trades whatever symbol the signal names when the automation has none', () => {
    expect(given(created({ symbol: null })).when(signal({ ticker: 'MSFT' }))).toEqual(
      accepted({ symbol: 'MSFT' }),
    );
  });

  it('rejects a signal when its account is gone', () => {
    expect(given(created()).when(signal({}, { status: 'gone' }))).toEqual(rejectedWith('ACCOUNT_GONE'));
  });

  it('stops at the pyramiding limit, counting entries still on their way', () => {
    const automation = given(created({ maxEntriesPerDirection: 2 }));
    expect(automation.when(signal(), signal({ action: 'add' }))).toEqual(
      accepted({ quantity: '10', entriesAfter: 2 }),
    );
    expect(automation.when(signal())).toEqual(
      rejectedWith('PYRAMIDING_LIMIT', /already has 2 long AAPL entries/),
    );
  });

  it('counts an entry the broker refused as never made', () => {
    const automation = given(created());
    automation.when(signal());
    const orderId = latest().orderId;
    automation.when(refusedForCash(orderId));
    expect(automation.when(signal())).toEqual(accepted({ entriesAfter: 1, positionAfter: 10 }));
  });

  it('rejects an exit with nothing to exit', () => {
    expect(given(created()).when(signal({ action: 'exit' }))).toEqual(
      rejectedWith('NOTHING_TO_EXIT', /holds no AAPL position/),
    );
  });

  it('exits the whole position and starts counting entries afresh', () => {
    const automation = given(created());
    automation.when(signal());
    expect(automation.when(signal({ action: 'exit' }))).toEqual(
      accepted({ side: 'sell', quantity: '10', positionAfter: 0, entriesAfter: 0 }),
    );
    expect(automation.when(signal())).toEqual(accepted({ side: 'buy', entriesAfter: 1 }));
  });

  it('closes a long position on an opposite signal when set to close', () => {
    const automation = given(created({ sizing: { kind: 'fixed-quantity', quantity: 3 } }));
    automation.when(signal());
    expect(automation.when(signal({ action: 'sell' }))).toEqual(
      accepted({ side: 'sell', quantity: '3', positionAfter: 0 }),
    );
  });

  it('reverses on an opposite signal when set to reverse', () => {
    const automation = given(created({ onOppositeSignal: 'reverse' }));
    automation.when(signal());
    expect(automation.when(signal({ action: 'sell' }))).toEqual(
      accepted({ side: 'sell', quantity: '20', positionAfter: -10, entriesAfter: 1 }),
    );
  });

  it('follows the sentiment: sell with flat only exits, sell with long only trims', () => {
    const automation = given(
      created({ onOppositeSignal: 'reverse', sizing: { kind: 'fixed-quantity', quantity: 4 } }),
    );
    automation.when(signal({ quantity: 10 }));
    expect(automation.when(signal({ action: 'sell', sentiment: 'long' }))).toEqual(
      accepted({ side: 'sell', quantity: '4', positionAfter: 6 }),
    );
    expect(automation.when(signal({ action: 'sell', sentiment: 'flat' }))).toEqual(
      accepted({ side: 'sell', quantity: '6', positionAfter: 0 }),
    );
  });

  it('sizes by a cash amount at the signal price, in whole shares', () => {
    expect(
      given(created({ sizing: { kind: 'cash', amount: '1000.00' } })).when(signal({ price: '190.00' })),
    ).toEqual(accepted({ quantity: '5' }));
  });

  it('sizes by a percent of the account equity', () => {
    expect(
      given(created({ sizing: { kind: 'percent-of-equity', percent: '2' } })).when(
        signal({ price: '190.00' }),
      ),
    ).toEqual(accepted({ quantity: '10' }));
  });

  it('asks for a price when sizing needs one, and for more money when not a share fits', () => {
    const automation = given(created({ sizing: { kind: 'cash', amount: '100.00' } }));
    expect(automation.when(signal())).toEqual(rejectedWith('PRICE_REQUIRED', /add "price"/));
    expect(automation.when(signal({ price: '190.00' }))).toEqual(
      rejectedWith('SIZE_TOO_SMALL', /100.00 buys less than one share of AAPL at 190.00/),
    );
  });

  it("lets the signal's own quantity win over the sizing", () => {
    expect(given(created()).when(signal({ quantity: 3 }))).toEqual(accepted({ quantity: '3' }));
  });

  it('places a limit at the signal price moved by the offset against the trade', () => {
    const automation = given(
      created({ orderType: 'limit', limitOffsetPercent: '0.5', onOppositeSignal: 'close' }),
    );
    expect(automation.when(signal({ price: '200.00' }))).toEqual(
      accepted({ kind: 'limit', limitPrice: '201.00' }),
    );
    expect(automation.when(signal({ action: 'exit', price: '200.00' }))).toEqual(
      accepted({ limitPrice: '199.00' }),
    );
  });
});
