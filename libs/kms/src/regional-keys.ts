import { auditTrailArn, namePrefix, type PlatformConfig } from '@platform/config';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { KeyPurpose } from './key-policy';
import { MultiRegionKey } from './multi-region-key';

/** The platform's keys, one per purpose: data stores and volumes, logs and trail, secrets. */
export const KEY_PURPOSES: readonly KeyPurpose[] = ['data', 'logs', 'secrets'];

export interface RegionalKeysProps {
  readonly config: PlatformConfig;
  /** One provider per region name (see awsProvidersByRegion). */
  readonly providers: ReadonlyMap<string, AwsProvider>;
}

/**
 * Multi-region primaries in the home region (data.homeRegion, which never moves: a switchover must
 * not replace keys) with replicas in every other configured region.
 */
export class RegionalKeys extends Construct {
  readonly keys: Readonly<Record<KeyPurpose, MultiRegionKey>>;

  constructor(scope: Construct, id: string, props: RegionalKeysProps) {
    super(scope, id);
    const { config } = props;
    const regionOf = (name: string, awsRegion: string) => {
      const provider = props.providers.get(name);
      if (!provider) throw new Error(`regional keys: no AWS provider for region ${name}; fix: build providers with awsProvidersByRegion`);
      return { name, awsRegion, provider };
    };
    const primary = regionOf(config.homeRegion.name, config.homeRegion.awsRegion);
    const replicas = config.regions.filter((r) => r.name !== config.homeRegion.name).map((r) => regionOf(r.name, r.awsRegion));
    this.keys = Object.fromEntries(
      KEY_PURPOSES.map((purpose) => [
        purpose,
        new MultiRegionKey(this, purpose, {
          purpose,
          aliasName: `${namePrefix(config)}-${purpose}`,
          accountId: config.accountId,
          primary,
          replicas,
          trailArn: purpose === 'logs' ? auditTrailArn(config) : undefined,
        }),
      ]),
    ) as Record<KeyPurpose, MultiRegionKey>;
  }
}
