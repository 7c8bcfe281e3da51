export { startAlpacaSandbox } from './alpaca/alpaca-sandbox';
export type { AlpacaSandbox, AlpacaSandboxOptions } from './alpaca/alpaca-sandbox';
export { SANDBOX_SECRET, SANDBOX_STARTING_CASH_CENTS } from './alpaca/sandbox-credentials';
export { SANDBOX_START_PRICES, QUOTE_SIZE } from './alpaca/sandbox-market';
export { alpacaSandboxBanner } from './alpaca/sandbox-banner';
export {
  startTradeStationSandbox,
  tradeStationDevClient,
  tradeStationSandboxBanner,
  TRADESTATION_SANDBOX_ACCOUNTS,
  TRADESTATION_SANDBOX_DEV_CLIENT,
} from './tradestation';
export type { TradeStationSandbox, TradeStationSandboxOptions } from './tradestation';
