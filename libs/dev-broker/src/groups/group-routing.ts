export interface BrokerNode {
  readonly nodeId: number;
  readonly port: number;
}

/** Java's String.hashCode, so a group lands on the node Kafka's own hashing would pick. */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/** Which node of the presented cluster coordinates a group; every node answers the same. */
export class GroupRouting {
  constructor(private readonly nodes: readonly BrokerNode[]) {
    if (nodes.length === 0) throw new Error('a group coordinator needs at least one broker node');
  }

  coordinatorOf(groupId: string): BrokerNode {
    return this.nodes[(javaHashCode(groupId) & 0x7fffffff) % this.nodes.length];
  }

  isCoordinator(groupId: string, nodeId: number): boolean {
    return this.coordinatorOf(groupId).nodeId === nodeId;
  }
}
