/** Kafka's AclOperation codes; a bit per operation in the authorized-operations fields (KIP-430). */
const Operation = {
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
} as const;

function bits(...operations: number[]): number {
  return operations.reduce((field, operation) => field | (1 << operation), 0);
}

/** Kafka's answer when the request did not ask for the operations. */
export const NOT_REQUESTED = -2147483648;

/** Without ACLs every caller may do everything a resource of the type supports. */
export const TOPIC_OPERATIONS = bits(
  Operation.READ,
  Operation.WRITE,
  Operation.CREATE,
  Operation.DELETE,
  Operation.ALTER,
  Operation.DESCRIBE,
  Operation.DESCRIBE_CONFIGS,
  Operation.ALTER_CONFIGS,
);

export const CLUSTER_OPERATIONS = bits(
  Operation.CREATE,
  Operation.ALTER,
  Operation.DESCRIBE,
  Operation.CLUSTER_ACTION,
  Operation.DESCRIBE_CONFIGS,
  Operation.ALTER_CONFIGS,
  Operation.IDEMPOTENT_WRITE,
);

export const GROUP_OPERATIONS = bits(Operation.READ, Operation.DELETE, Operation.DESCRIBE);
