// Misspelt and unknown keys: which key a misspelling is taken for, what is reported, and that the
// rules still run on the corrected config. Each case: the change to the seed's regions, the
// environment the error names, and the exact issues.
import { ConfigError, type ConfigIssue } from './config-error';
import { resolveConfig } from './resolve-config';
import { seedRegionsInput } from './seed-regions';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Editable = any;

const rename = (object: Editable, from: string, to: string) => {
  object[to] = object[from];
  delete object[from];
};

/** The seed's regions after `change`; a change that returns null stands for no config at all. */
function errorAfter(change: (config: Editable) => unknown): ConfigError {
  const config: Editable = seedRegionsInput();
  const input = change(config) === null ? null : config;
  try {
    resolveConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

const CASES: ReadonlyArray<[string, (c: Editable) => unknown, string, readonly ConfigIssue[]]> = [
  [
    'a key that differs only in case is the key it means',
    (c) => rename(c.regions[0], 'vpcCidr', 'VPCCIDR'),
    'prod',
    [
      {
        field: 'regions[0].VPCCIDR',
        value: '"10.10.0.0/16"',
        problem: 'is not a known setting: vpcCidr is expected here',
        fix: 'rename it to vpcCidr',
      },
    ],
  ],
  [
    'a key two edits away is the key it means',
    (c) => rename(c.regions[0], 'vpcCidr', 'vpcCidrxx'),
    'prod',
    [
      {
        field: 'regions[0].vpcCidrxx',
        value: '"10.10.0.0/16"',
        problem: 'is not a known setting: vpcCidr is expected here',
        fix: 'rename it to vpcCidr',
      },
    ],
  ],
  [
    'a key three edits away is an unknown key, and the required key is reported missing',
    (c) => rename(c.regions[0], 'vpcCidr', 'vpcCidrxxx'),
    'prod',
    [
      {
        field: 'regions[0].vpcCidr',
        value: '(missing)',
        problem: 'invalid input: expected string, received undefined',
        fix: 'use a private IPv4 network such as 10.10.0.0/16',
      },
      {
        field: 'regions[0].vpcCidrxxx',
        value: '"10.10.0.0/16"',
        problem: 'is not a known setting',
        fix: 'remove it or correct its spelling (see libs/config/src/schema.ts)',
      },
    ],
  ],
  [
    'a near miss at another level of the config is not taken for the key',
    (c) => {
      c.homeRegon = c.data.homeRegion;
      delete c.data.homeRegion;
    },
    'prod',
    [
      {
        field: 'data.homeRegion',
        value: '(missing)',
        problem: 'invalid input: expected string, received undefined',
        fix: 'correct the value as libs/config/src/schema.ts describes',
      },
      {
        field: 'homeRegon',
        value: '"us-east"',
        problem: 'is not a known setting',
        fix: 'remove it or correct its spelling (see libs/config/src/schema.ts)',
      },
    ],
  ],
  [
    'of two missing keys, the nearest is the one meant; the other stays missing',
    (c) => {
      delete c.regions[0].vpcCidr;
      rename(c.regions[0], 'timeZone', 'timeZon');
    },
    'prod',
    [
      {
        field: 'regions[0].timeZon',
        value: '"America/New_York"',
        problem: 'is not a known setting: timeZone is expected here',
        fix: 'rename it to timeZone',
      },
      {
        field: 'regions[0].vpcCidr',
        value: '(missing)',
        problem: 'invalid input: expected string, received undefined',
        fix: 'use a private IPv4 network such as 10.10.0.0/16',
      },
    ],
  ],
  [
    'two misspelt keys in two places are both named, and the rules run on the corrected config',
    (c) => {
      rename(c.regions[0], 'timeZone', 'timezone');
      rename(c.aurora, 'backupRetentionDays', 'backupRetentionDay');
      c.aurora.backupRetentionDay = 3;
    },
    'prod',
    [
      {
        field: 'regions[0].timezone',
        value: '"America/New_York"',
        problem: 'is not a known setting: timeZone is expected here',
        fix: 'rename it to timeZone',
      },
      {
        field: 'aurora.backupRetentionDay',
        value: '3',
        problem: 'is not a known setting: backupRetentionDays is expected here',
        fix: 'rename it to backupRetentionDays',
      },
      { field: 'aurora.backupRetentionDays', value: '3', problem: 'keeps under 7 days of backups', fix: 'keep at least 7' },
    ],
  ],
  [
    'a misspelt key next to an unknown one is named once, as the misspelling',
    (c) => {
      rename(c.regions[0], 'timeZone', 'timezone');
      c.colour = 'blue';
    },
    'prod',
    [
      {
        field: 'regions[0].timezone',
        value: '"America/New_York"',
        problem: 'is not a known setting: timeZone is expected here',
        fix: 'rename it to timeZone',
      },
      {
        field: 'colour',
        value: '"blue"',
        problem: 'is not a known setting',
        fix: 'remove it or correct its spelling (see libs/config/src/schema.ts)',
      },
    ],
  ],
  [
    'no config at all is reported at the root, for an unnamed environment',
    () => null,
    '(unnamed)',
    [
      {
        field: '(root)',
        value: 'null',
        problem: 'invalid input: expected object, received null',
        fix: 'correct the value as libs/config/src/schema.ts describes',
      },
    ],
  ],
  [
    'a config without its environment name is reported for an unnamed environment',
    (c) => {
      delete c.environment;
    },
    '(unnamed)',
    [
      {
        field: 'environment',
        value: '(missing)',
        problem: 'invalid input: expected string, received undefined',
        fix: 'correct the value as libs/config/src/schema.ts describes',
      },
    ],
  ],
  [
    'an unknown key near a key that is present is just unknown',
    (c) => {
      c.regions[0].vpcCidrs = '10.0.0.0/16';
    },
    'prod',
    [
      {
        field: 'regions[0].vpcCidrs',
        value: '"10.0.0.0/16"',
        problem: 'is not a known setting',
        fix: 'remove it or correct its spelling (see libs/config/src/schema.ts)',
      },
    ],
  ],
];

describe('misspelt and unknown keys', () => {
  it.each(CASES)('%s', (_title, change, environment, issues) => {
    const error = errorAfter(change);
    expect(error.environment).toBe(environment);
    expect(error.issues).toEqual(issues);
  });
});

describe('a resolved config', () => {
  it('is frozen all the way down, so no stack can change what another stack sees', () => {
    const config = resolveConfig(seedRegionsInput());
    const nested = [config, config.regions, config.regions[0], config.regions[0]!.nodeGroups[0]!.instanceTypes, config.kubernetes.offPeak];
    expect(nested.map((value) => Object.isFrozen(value))).toEqual([true, true, true, true, true]);
    expect(() => {
      (config.regions[0]!.nodeGroups[0]!.instanceTypes as string[]).push('t3.micro');
    }).toThrow(TypeError);
  });
});
