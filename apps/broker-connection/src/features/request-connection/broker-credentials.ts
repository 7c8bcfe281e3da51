import { paperCurrencyProblem, paperStartingCashProblem } from '@tradecore/contracts';
import { type FieldProblem, ValidationFailedException } from '@tradecore/eventing/nest';
import type { BrokerCredentials } from '../../infrastructure/adapters/broker-adapter';
import type { RequestConnectionDto } from './request-connection.dto';

const REQUIRED = {
  alpaca: ['apiKeyId', 'apiSecretKey'],
  tradestation: ['clientId', 'clientSecret', 'refreshToken'],
  virtual: [],
} as const;

export interface PaperDefaults {
  readonly accountCount: number;
  readonly startingCash: string;
}

// Brokers issue keys and tokens in printable ASCII; anything else (CR/LF, control characters,
// spaces, non-ASCII) could not go into an HTTP header or form and would only fail at the broker.
const SENDABLE = /^[\x21-\x7e]+$/;

function unsendableCredentials(given: object): FieldProblem[] {
  return Object.entries(given)
    .filter(([, value]) => typeof value === 'string' && value !== '' && !SENDABLE.test(value))
    .map(([field]) => ({
      field: `credentials.${field}`,
      reason: `credentials.${field} may hold only printable ASCII characters, without spaces, line breaks or control characters`,
    }));
}

const DEFAULT_CURRENCY = 'USD';

/** The virtual broker's terms checked here, so a request it would refuse later gets a 400 now instead of a 202. */
function paperAccountProblems(dto: RequestConnectionDto, defaults: PaperDefaults): FieldProblem[] {
  const currency = dto.paperAccounts?.currency ?? DEFAULT_CURRENCY;
  const currencyProblem = paperCurrencyProblem(currency);
  if (currencyProblem) return [{ field: 'paperAccounts.currency', reason: currencyProblem }];
  const cashProblem = paperStartingCashProblem(
    dto.paperAccounts?.startingCash ?? defaults.startingCash,
    currency,
  );
  return cashProblem ? [{ field: 'paperAccounts.startingCash', reason: cashProblem }] : [];
}

/** The body's shape depends on `broker`, which class-validator cannot express, so it is checked here. */
export function credentialsOf(dto: RequestConnectionDto, defaults: PaperDefaults): BrokerCredentials {
  const given = dto.credentials ?? {};
  const problems: FieldProblem[] = REQUIRED[dto.broker]
    .filter((field) => !given[field])
    .map((field) => ({
      field: `credentials.${field}`,
      reason: `credentials.${field} is required for ${dto.broker}`,
    }));
  problems.push(...unsendableCredentials(given));
  if (dto.broker === 'virtual' && dto.credentials)
    problems.push({
      field: 'credentials',
      reason: 'the virtual broker takes paperAccounts, not credentials',
    });
  if (dto.broker !== 'virtual' && dto.paperAccounts)
    problems.push({ field: 'paperAccounts', reason: 'paperAccounts is only for the virtual broker' });
  if (dto.broker === 'virtual') problems.push(...paperAccountProblems(dto, defaults));
  if (problems.length > 0) throw new ValidationFailedException(problems);
  switch (dto.broker) {
    case 'alpaca':
      return {
        broker: 'alpaca',
        apiKeyId: given.apiKeyId as string,
        apiSecretKey: given.apiSecretKey as string,
      };
    case 'tradestation':
      return {
        broker: 'tradestation',
        clientId: given.clientId as string,
        clientSecret: given.clientSecret as string,
        refreshToken: given.refreshToken as string,
      };
    case 'virtual':
      return {
        broker: 'virtual',
        accountCount: dto.paperAccounts?.count ?? defaults.accountCount,
        startingCash: dto.paperAccounts?.startingCash ?? defaults.startingCash,
        currency: dto.paperAccounts?.currency ?? DEFAULT_CURRENCY,
      };
    default: {
      const unknown: never = dto.broker;
      return unknown;
    }
  }
}
