import { EventingEnv, Integer } from '@tradecore/eventing/nest';

/** The broker-account service's own variables; docs/configuration.md lists them under broker-account. */
export class BrokerAccountEnv extends EventingEnv {
  /** How long a user's updates stay for a resume (`since`); an older `since` is told to resync. */
  @Integer(10, 604_800)
  REALTIME_RESUME_WINDOW_SECONDS = 3600;

  /** Most updates kept per user for a resume, whatever their age. */
  @Integer(10, 1_000_000)
  REALTIME_RESUME_MAX_UPDATES = 10_000;

  @Integer(1, 3600)
  REALTIME_HEARTBEAT_SECONDS = 15;

  /** Updates a socket may have waiting while its client does not read; one more and it is closed with 4008. */
  @Integer(10, 1_000_000)
  REALTIME_MAX_WAITING_UPDATES = 5000;

  /**
   * How often the market's marks revalue paper positions (and add an equity point) between the
   * account's own events; every event of an account values it at the latest marks. 0: every tick.
   */
  @Integer(0, 3_600_000)
  PAPER_REVALUATION_INTERVAL_MS = 15_000;
}
