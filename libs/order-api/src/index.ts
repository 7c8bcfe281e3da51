export * from './order-requests.dto';
