import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { PAPER_MAX_STARTING_CASH, paperStartingCashProblem } from '@tradecore/contracts';
import { EventingEnv } from '@tradecore/eventing/nest';

const URL_RULE = { message: '$property must be an http(s) URL' };
const HTTP_URL = /^https?:\/\/\S+$/;

/** broker-connection's variables on top of the shared ones; documented in docs/configuration.md. */
export class BrokerConnectionEnv extends EventingEnv {
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=)*$/, {
    message: '$property must be a comma-separated list of keyId:base64 with 32-byte AES-256 keys',
  })
  CREDENTIALS_KEYS!: string;

  @IsString({ message: '$property must name one of the ids in CREDENTIALS_KEYS' })
  CREDENTIALS_ACTIVE_KEY_ID!: string;

  @Matches(HTTP_URL, URL_RULE)
  ALPACA_PAPER_BASE_URL = 'https://paper-api.alpaca.markets';

  @Matches(HTTP_URL, URL_RULE)
  ALPACA_LIVE_BASE_URL = 'https://api.alpaca.markets';

  @Matches(HTTP_URL, URL_RULE)
  TRADESTATION_SIM_BASE_URL = 'https://sim-api.tradestation.com';

  @Matches(HTTP_URL, URL_RULE)
  TRADESTATION_LIVE_BASE_URL = 'https://api.tradestation.com';

  @Matches(HTTP_URL, URL_RULE)
  TRADESTATION_TOKEN_URL = 'https://signin.tradestation.com/oauth/token';

  @Matches(HTTP_URL, URL_RULE)
  TRADESTATION_AUTHORIZE_URL = 'https://signin.tradestation.com/authorize';

  /** The API key users sign in through; unset turns TradeStation sign-in (OAuth) off. */
  @IsOptional()
  @IsString()
  TRADESTATION_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  TRADESTATION_CLIENT_SECRET?: string;

  /** Where TradeStation sends the browser back: the gateway's public callback route. */
  @Matches(HTTP_URL, URL_RULE)
  TRADESTATION_OAUTH_REDIRECT_URI =
    'http://localhost:3000/api/broker-connections/oauth/tradestation/callback';

  @Matches(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, { message: '$property must be space-separated scopes' })
  TRADESTATION_OAUTH_SCOPES = 'openid offline_access profile MarketData ReadAccount Trade';

  @Type(() => Number)
  @IsInt()
  @Min(10_000)
  @Max(3_600_000)
  OAUTH_STATE_TTL_MS = 600_000;

  /** How often each replica looks for access tokens to refresh and connections to check. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  UPKEEP_TICK_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  ACCESS_TOKEN_REFRESH_LEAD_MS = 300_000;

  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(86_400_000)
  HEALTH_CHECK_INTERVAL_MS = 60_000;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  HEALTH_CHECK_JITTER = 0.2;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  HEALTH_DEGRADED_AFTER = 2;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  HEALTH_OFFLINE_AFTER = 5;

  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(120_000)
  BROKER_HTTP_TIMEOUT_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  BROKER_HTTP_RETRIES = 2;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  BROKER_CIRCUIT_FAILURES = 5;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  BROKER_CIRCUIT_HALF_OPEN_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  BROKER_STREAM_HEARTBEAT_MS = 15_000;

  @Type(() => Number)
  @IsInt()
  @Min(250)
  @Max(600_000)
  BROKER_STREAM_RECONNECT_MAX_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  BROKER_STREAM_SCAN_MS = 2000;

  /** How long a replica's claim on an account's stream lasts unrenewed: the takeover time when it dies. */
  @Type(() => Number)
  @IsInt()
  @Min(300)
  @Max(600_000)
  BROKER_STREAM_LEASE_MS = 10_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  VIRTUAL_DEFAULT_ACCOUNTS = 1;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  BROKER_CONNECTIONS_PER_USER = 10;

  @ValidateBy({
    name: 'paperStartingCash',
    validator: {
      validate: (value) => typeof value === 'string' && paperStartingCashProblem(value, 'USD') === null,
      defaultMessage: () =>
        `$property must be a decimal amount from 0.01 to ${PAPER_MAX_STARTING_CASH}, such as 100000.00`,
    },
  })
  VIRTUAL_DEFAULT_STARTING_CASH = '100000.00';
}
