import { defineContract } from './contract';
import { stackNames } from './stack-names';

/** The state bucket and its key, created by apps/bootstrap. */
export const bootstrapContract = defineContract({
  name: 'bootstrap',
  stackName: () => stackNames.bootstrap,
  outputs: {
    stateBucketName: { kind: 'string', description: 'S3 bucket holding every stack state of this environment' },
    stateBucketArn: { kind: 'string', description: 'ARN of the state bucket' },
    stateKeyArn: { kind: 'string', description: 'KMS key encrypting the state objects' },
  },
});

/** Global resources every region refers to, created by apps/global. */
export const globalFoundationContract = defineContract({
  name: 'global-foundation',
  stackName: () => stackNames.globalFoundation,
  outputs: {
    hostedZoneId: { kind: 'string', description: 'Route 53 public zone of the platform domain' },
    hostedZoneName: { kind: 'string', description: 'The platform domain' },
    hostedZoneNameServers: { kind: 'list', description: 'Name servers to delegate the domain to' },
  },
});

/** Contracts whose producer is a single stack, for checks over the whole synthesized output. */
export const singletonContracts = [bootstrapContract, globalFoundationContract] as const;
