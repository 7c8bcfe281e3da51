/** The slice of a logger the broker needs; console and pino both fit. */
export interface BrokerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: BrokerLogger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

export const silentLogger: BrokerLogger = { info: () => {}, warn: () => {}, error: () => {} };
