/**
 * Instance-type rules that AWS enforces late (at apply time) and that we prefer to fail at synth.
 */

/** x86_64 NVIDIA families that the AL2023_x86_64_NVIDIA AMI supports. */
export const NVIDIA_GPU_FAMILIES = ['g4dn', 'g5', 'g6', 'g6e', 'gr6', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en'] as const;

export function ec2Family(instanceType: string): string {
  return instanceType.split('.')[0] ?? '';
}

export function isNvidiaGpuInstanceType(instanceType: string): boolean {
  return (NVIDIA_GPU_FAMILIES as readonly string[]).includes(ec2Family(instanceType));
}

/**
 * ElastiCache Global Datastore needs node types of size large or bigger (and no burstable t-family).
 * Returns why a node type is refused, or undefined when it is allowed.
 */
export function globalDatastoreNodeTypeProblem(nodeType: string): string | undefined {
  const match = /^cache\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(nodeType);
  if (!match) return 'not an ElastiCache node type such as cache.r7g.large';
  const [, family, size] = match as unknown as [string, string, string];
  if (family.startsWith('t')) return `burstable ${family} nodes cannot join a global datastore`;
  if (!/^(\d*xlarge|large)$/.test(size)) return `size "${size}" is below large, the smallest size a global datastore accepts`;
  return undefined;
}
