import {
  amendMessageContext,
  currentMessageContext,
  metadataFromContext,
  runInMessageContext,
} from './message-context';

describe('message context', () => {
  it('lets later code in a request add the user, and what follows inherits it', async () => {
    const metadata = await runInMessageContext({ correlationId: 'corr-1', messageId: null }, async () => {
      await Promise.resolve();
      expect(amendMessageContext({ userId: 'user-7' })).toBe(true);
      await Promise.resolve();
      return metadataFromContext();
    });
    expect(metadata).toMatchObject({ correlationId: 'corr-1', causationId: null, userId: 'user-7' });
  });

  it('does not leak an amendment into a neighbouring request', async () => {
    const seen = await Promise.all([
      runInMessageContext({ correlationId: 'a', messageId: null }, async () => {
        amendMessageContext({ userId: 'alice' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        return currentMessageContext()?.userId;
      }),
      runInMessageContext({ correlationId: 'b', messageId: null }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return currentMessageContext()?.userId;
      }),
    ]);
    expect(seen).toEqual(['alice', undefined]);
  });

  it('outside any context there is nothing to amend and a fresh correlation starts', () => {
    expect(amendMessageContext({ userId: 'nobody' })).toBe(false);
    expect(metadataFromContext()).toMatchObject({ causationId: null, correlationId: expect.any(String) });
  });
});
