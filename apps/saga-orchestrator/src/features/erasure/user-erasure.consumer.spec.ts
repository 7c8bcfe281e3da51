import { completesAUserDeletion } from './user-erasure.consumer';

const completed = (sagaType: unknown) => ({ type: 'SagaCompleted', payload: { sagaType, sagaId: 's-1' } });

describe('which saga completions the erasure consumer takes', () => {
  it('takes a completed UserDeletion', () => {
    expect(completesAUserDeletion(completed('UserDeletion'))).toBe(true);
  });

  it.each([
    ['another saga type', completed('BrokerConnection')],
    ['another event type', { type: 'SagaCompensated', payload: { sagaType: 'UserDeletion' } }],
    ['a payload without a saga type', { type: 'SagaCompleted', payload: {} }],
    ['a payload that is not an object', { type: 'SagaCompleted', payload: 'UserDeletion' }],
  ])('skips %s', (_case, envelope) => {
    expect(completesAUserDeletion(envelope)).toBe(false);
  });
});
