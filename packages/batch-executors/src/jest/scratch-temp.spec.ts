import { scratchParent, type ScratchPlaces } from './scratch-temp';

const SHM = 'tmpfs /dev/shm tmpfs rw,nosuid,nodev,relatime,size=24683772k 0 0';
const here = (overrides: Partial<ScratchPlaces> = {}): string =>
  scratchParent({
    env: {},
    mounts: `/dev/vda / ext4 rw,relatime 0 0\n${SHM}\n`,
    freeBytes: () => 24 * 1024 ** 3,
    systemTemp: '/tmp',
    ...overrides,
  });

describe("where a jest run's temp folder goes", () => {
  it('goes to /dev/shm when it is a tmpfs that lets files run, with room to spare', () => {
    expect(here()).toBe('/dev/shm');
  });

  it('stays under TMPDIR when the user set one', () => {
    expect(here({ env: { TMPDIR: '/scratch' }, systemTemp: '/scratch' })).toBe('/scratch');
  });

  it('stays in the system temp folder when /dev/shm is noexec (stand-in scripts run from the folder), small, a disk, or missing', () => {
    expect(here({ mounts: SHM.replace('rw,', 'rw,noexec,') })).toBe('/tmp');
    // Docker's default /dev/shm: 64 MB.
    expect(here({ freeBytes: () => 64 * 1024 ** 2 })).toBe('/tmp');
    expect(here({ mounts: '/dev/vdb /dev/shm ext4 rw,relatime 0 0' })).toBe('/tmp');
    expect(here({ mounts: '/dev/vda / ext4 rw,relatime 0 0\n' })).toBe('/tmp');
    expect(here({ mounts: '' })).toBe('/tmp');
    expect(
      here({
        freeBytes: () => {
          throw new Error('EACCES');
        },
      }),
    ).toBe('/tmp');
  });

  it('reads the last mount of /dev/shm, the one in effect', () => {
    expect(here({ mounts: `${SHM}\nnone /dev/shm tmpfs rw,noexec 0 0` })).toBe('/tmp');
    expect(here({ mounts: `none /dev/shm tmpfs rw,noexec 0 0\n${SHM}` })).toBe('/dev/shm');
  });
});
