import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropProviderChecksums } from './terraform-workdir';

// What terraform 1.11 `init` writes, with two providers (the second as the hashes of a registry install).
const LOCK_FILE = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "5.100.0"
  hashes = [
    "h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version = "3.7.2"
  hashes = [
    "h1:0hcNr59VEJbhZYwuDE/ysmyTS0evkfcLarlni+zATPM=",
    "zh:14829603a32e4bc4d05062f059e545a91e27ff033756b48afbae6b3c835f508f",
  ]
}
`;

describe('dropProviderChecksums', () => {
  const lockFile = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'lock-')), '.terraform.lock.hcl');
    writeFileSync(path, text);
    return path;
  };

  it('removes every provider checksum and keeps each pinned version and constraint', () => {
    const path = lockFile(LOCK_FILE);
    dropProviderChecksums(path);
    expect(readFileSync(path, 'utf8')).toBe(`# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "5.100.0"
}

provider "registry.terraform.io/hashicorp/random" {
  version = "3.7.2"
}
`);
  });

  it('leaves a configuration without providers alone (init writes no lock file)', () => {
    expect(() => dropProviderChecksums(join(mkdtempSync(join(tmpdir(), 'lock-')), '.terraform.lock.hcl'))).not.toThrow();
  });

  it('refuses checksums in a form it does not know, rather than leaving them to be checked silently', () => {
    const path = lockFile(LOCK_FILE.replace('hashes = [\n    "h1:edX', 'hashes = toset([\n    "h1:edX'));
    expect(() => dropProviderChecksums(path)).toThrow(/provider checksums in a form dropProviderChecksums does not know; fix: teach it/);
  });
});
